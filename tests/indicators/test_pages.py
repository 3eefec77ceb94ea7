"""Every page of the indicators app renders for the standing agency, in Vietnamese."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "/chi-tieu/", "/chi-tieu/?nam=2024", "/chi-tieu/?nam=2024&don_vi=hp-cat-hai", "/chi-tieu/?nam=2023",
    "/chi-tieu/bao-cao/?nam=2025", "/chi-tieu/bao-cao/gdnn-gdtx-cat-hai/2026/", "/chi-tieu/bao-cao/thcs-cat-hai/2025/",
    "/chi-tieu/bao-cao/hp-cat-hai/2024/", "/chi-tieu/tien-do-bao-cao/?nam=2025", "/chi-tieu/ky-bao-cao/",
    "/chi-tieu/excel/", "/chi-tieu/du-lieu/hp-dk-cat-hai/2025/ct1-quy-tac-ung-xu/",
    "/chi-tieu/du-lieu/hp-dk-cat-hai/2024/ct5-kenh-thong-tin/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_standing_agency(client_for, url):
    response = client_for("thuongtruc").get(url)
    assert response.status_code == 200, url
    assert "Chỉ tiêu" in response.content.decode() or "Báo cáo" in response.content.decode()


def test_dashboard_shows_the_five_indicators_with_status(client_for):
    html = client_for("thuongtruc").get("/chi-tieu/?nam=2025&don_vi=hp-dk-cat-hai").content.decode()
    for n in range(1, 6):
        assert f'id="ct{n}"' in html
    assert "<svg" in html  # the trend chart is drawn on the server
    assert "Trung tâm Giáo dục nghề nghiệp" in html  # drill-down by child unit
    assert "Cách xếp loại tiến độ" in html


def test_past_year_shows_the_tree_as_it_was(client_for):
    html = client_for("thuongtruc").get("/chi-tieu/?nam=2024&don_vi=hp-cat-hai").content.decode()
    assert "Huyện Cát Hải" in html
    assert "Trung tâm Dạy nghề và Giáo dục thường xuyên huyện Cát Hải" in html  # its name then


def test_leader_sees_the_dashboard(client_for):
    assert client_for("lanhdao").get("/chi-tieu/").status_code == 200


def test_dashboard_opens_on_the_latest_year_with_approved_figures(client_for):
    page = client_for("thuongtruc").get("/chi-tieu/").content.decode()
    assert "Chỉ tiêu năm 2025" in page


def test_the_home_card_gives_the_dashboards_own_figures(client_for):
    """A leader opens the system on the year's figures of their area: the home card's values are
    the dashboard's, indicator by indicator, for the same unit and year (one selector)."""
    import re

    leader = client_for("lanhdao")
    home = leader.get("/").content.decode()
    card = home[home.index('id="chi-tieu-tom-tat"'):]
    card = card[:card.index("</section>")]
    link = re.search(r'href="/chi-tieu/\?don_vi=([\w-]+)&amp;nam=(\d{4})"', card)
    assert link, card
    dashboard = leader.get(f"/chi-tieu/?don_vi={link[1]}&nam={link[2]}").content.decode()
    value = r'data-indicator="(\d)">([^<]*)<'
    on_card = dict(re.findall(value, card))
    assert len(on_card) >= 4 and on_card == dict(re.findall(value, dashboard))
    # the dashboard opens on the same year by itself
    assert f"Chỉ tiêu năm {link[2]}" in leader.get("/chi-tieu/").content.decode()
    # a school focal point sees its school's card; a counsellor, who reads no indicator, none
    assert 'id="chi-tieu-tom-tat"' in client_for("daumoi.thcscatba").get("/").content.decode()
    assert 'id="chi-tieu-tom-tat"' not in client_for("tuvan").get("/").content.decode()
