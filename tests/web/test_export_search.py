"""Print, export and search: XLSX of the pages as filtered, scoped like the page; the shell's search scoped."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.print_title_rows and ws.page_setup.orientation == "landscape"  # prints with its header on each page
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def header_index(rows, first_label: str) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == first_label)


def main_plan_id():
    from cyberyouth.plans.models import Plan

    return Plan.objects.filter(parent__isnull=True).order_by("id").first().pk


# — the task × unit matrix —

def test_matrix_export_has_every_unit_column_and_labels_not_codes(client_for):
    plan = main_plan_id()
    page = client_for("thuongtruc").get(f"/ke-hoach/{plan}/ma-tran/?nam=2024")
    rows = sheet_rows(client_for("thuongtruc").get(f"/ke-hoach/{plan}/ma-tran/?nam=2024&xuat=xlsx"))
    head = header_index(rows, "Nhiệm vụ")
    assert [c for c in rows[head][1:] if c] == [u.name for u in page.context["units"]]
    assert len(rows) - head - 1 == len(page.context["rows"])
    cells = {c for r in rows[head + 1:] for c in r[1:] if c}
    assert cells and cells <= {"Hoàn thành", "Đang thực hiện", "Chưa triển khai", "Không áp dụng", "Chưa báo cáo"}


def test_matrix_export_is_filtered_as_shown(client_for):
    plan = main_plan_id()
    rows = sheet_rows(client_for("thuongtruc").get(f"/ke-hoach/{plan}/ma-tran/?nam=2024&trang_thai=done&xuat=xlsx"))
    head = header_index(rows, "Nhiệm vụ")
    assert any(r[0] == "Trạng thái: Hoàn thành" for r in rows[:head])
    assert {c for r in rows[head + 1:] for c in r[1:] if c} == {"Hoàn thành"}


def test_a_school_exports_only_its_own_column(client_for, units):
    plan = main_plan_id()
    rows = sheet_rows(client_for("daumoi.thcscatba").get(f"/ke-hoach/{plan}/ma-tran/?nam=2024&xuat=xlsx"))
    head = header_index(rows, "Nhiệm vụ")
    assert [c for c in rows[head][1:] if c] == [units["thcs-cat-ba"].name]


# — the completeness list —

def test_completeness_export_lists_the_units_of_the_page(client_for):
    page = client_for("thuongtruc").get("/chi-tieu/tien-do-bao-cao/?nam=2024")
    rows = sheet_rows(client_for("thuongtruc").get("/chi-tieu/tien-do-bao-cao/?nam=2024&xuat=xlsx"))
    head = header_index(rows, "Đơn vị")
    assert [r[0] for r in rows[head + 1:]] == [r.name for r in page.context["result"].rows]
    assert {r[2] for r in rows[head + 1:]} <= {"Đúng hạn", "Muộn", "Chưa gửi"}


# — the moderation queue —

def test_queue_filters_by_status_channel_date_and_text(client_for, people):
    from cyberyouth.monitoring.models import Item, ItemState

    mod = client_for("kiemduyet")
    open_items = mod.get("/giam-sat/").context["items"]
    assert open_items and all(i.state == ItemState.OPEN for i in open_items)
    decided = mod.get("/giam-sat/?trang_thai=decided").context["items"]
    assert decided and all(i.state == ItemState.DECIDED for i in decided)

    target = next(i for i in open_items if i.channel_id)
    by_channel = mod.get(f"/giam-sat/?kenh={target.channel_id}").context["items"]
    assert target in by_channel and all(i.channel_id == target.channel_id for i in by_channel)

    word = max(target.text.split(), key=len)
    by_text = mod.get("/giam-sat/", {"q": word}).context["items"]
    assert target in by_text and all(word.lower() in i.text.lower() for i in by_text)

    Item.objects.filter(pk=target.pk).update(captured_at=timezone.now() - timedelta(days=400))
    day = timezone.localdate() - timedelta(days=400)
    on_day = mod.get(f"/giam-sat/?tu={day}&den={day}").context["items"]
    assert [i.pk for i in on_day] == [target.pk]
    later = mod.get(f"/giam-sat/?tu={day + timedelta(days=1)}").context["items"]
    assert target.pk not in [i.pk for i in later]


def test_queue_export_follows_the_filters(client_for):
    mod = client_for("kiemduyet")
    shown = mod.get("/giam-sat/?trang_thai=decided").context["items"]
    rows = sheet_rows(mod.get("/giam-sat/?trang_thai=decided&xuat=xlsx"))
    head = header_index(rows, "Số")
    assert [r[0] for r in rows[head + 1:]] == [i.pk for i in shown]
    assert {r[7] for r in rows[head + 1:]} == {"Đã quyết định"}
    assert any(r[0] == "Trạng thái: Đã quyết định" for r in rows[:head])


def test_queue_export_is_refused_to_whoever_has_no_queue(client_for):
    assert client_for("daumoi.thcscatba").get("/giam-sat/?xuat=xlsx").status_code == 403
    assert client_for("hocsinh").get("/giam-sat/?xuat=xlsx").status_code == 403


# — the shell's search —

def titles(response) -> list[str]:
    assert response.status_code == 200
    return [hit.title for _, hits in response.context["groups"] for hit in hits]


def test_search_finds_units_people_tasks_without_diacritics(client_for):
    admin = client_for("thuongtruc")
    assert "Trường THCS Cát Bà" in titles(admin.get("/tim-kiem/", {"q": "thcs cat ba"}))
    assert any("kiemduyet" in t for t in titles(admin.get("/tim-kiem/", {"q": "kiemduyet"})))
    assert any(t.startswith("Nhiệm vụ 6c)") for t in titles(admin.get("/tim-kiem/", {"q": "6c"})))


def test_search_stays_inside_the_school(client_for, units):
    school = client_for("daumoi.thcscatba")
    found = titles(school.get("/tim-kiem/", {"q": "trường"}))
    assert units["thcs-cat-ba"].name in found
    assert units["thcs-cat-hai"].name not in found
    # people of another school are not found, nor anyone without the right to read people
    assert not any("daumoi.thcscathai" in t for t in titles(school.get("/tim-kiem/", {"q": "daumoi"})))
    # monitored items are only for those who read the queue
    from cyberyouth.monitoring.models import Item

    word = max(Item.objects.filter(state="open").order_by("id").first().text.split(), key=len)
    assert "Nội dung giám sát" in [h for h, _ in client_for("kiemduyet").get("/tim-kiem/", {"q": word}).context["groups"]]
    assert "Nội dung giám sát" not in [h for h, _ in school.get("/tim-kiem/", {"q": word}).context["groups"]]


def test_moderator_finds_items_by_number_and_words(client_for):
    from cyberyouth.monitoring.models import Item

    item = Item.objects.filter(state="open").order_by("id").first()
    mod = client_for("kiemduyet")
    assert any(t.startswith(f"#{item.pk} ") for t in titles(mod.get("/tim-kiem/", {"q": str(item.pk)})))


def test_search_asks_for_two_letters(client_for):
    page = client_for("thuongtruc").get("/tim-kiem/", {"q": "a"})
    assert page.context["too_short"] and "Nhập ít nhất 2 ký tự" in page.content.decode()


def test_every_page_has_the_search_box_and_print_styles(client_for):
    page = client_for("lanhdao").get("/").content.decode()
    assert 'action="/tim-kiem/"' in page
    from django.contrib.staticfiles import finders

    css = open(finders.find("cyberyouth/site.css"), encoding="utf-8").read()
    assert "@media print" in css and "table-header-group" in css and "A4 landscape" in css
