"""Apps' parts of the yearly report (`report_parts`): printed under their task group, in the same
words and figures as the app's own page, and only for readers who may see them."""

import pytest
from django.utils import timezone

from cyberyouth.helpline import selectors as helpline_selectors
from cyberyouth.helpline import services as helpline_services
from cyberyouth.monitoring import selectors as monitoring_selectors
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.reports import contributions, services
from cyberyouth.reports.contributions import FUNDING, ReportPart


def _paragraphs(rd, document) -> list[str]:
    return [p.text for p in rd.open_docx(document).paragraphs]


def test_a_part_must_name_its_place():
    with pytest.raises(ValueError):
        ReportPart(text="…", group=9)
    with pytest.raises(ValueError):
        ReportPart(text="…", section="elsewhere")
    assert ReportPart(text="Kinh phí …", section=FUNDING).group is None


def test_monitoring_and_helpline_figures_in_the_yearly_report_equal_their_pages(people, units, rd):
    for i in range(6):
        helpline_services.child_submit(text="Em bị bạn chửi trên nhóm lớp", client_address=f"192.0.2.{i + 1}")
    year = timezone.localdate().year
    actor, zone = people["thuongtruc"], units["hp-dk-cat-hai"]
    document = services.document_generate_now(actor=actor, kind="yearly", year=year, want_pdf=False,
                                              on=timezone.localdate())
    paragraphs = _paragraphs(rd, document)
    # the helpline's line is the one its statistics page shows, under task group 7
    line = "Nhiệm vụ 7đ — " + helpline_selectors.yearly_report_line(actor=actor, unit=zone, year=year)
    assert line in paragraphs
    group7 = next(i for i, p in enumerate(paragraphs) if p.startswith("1.7."))
    assert paragraphs.index(line) > group7
    # monitoring's sentence reads the statistics page's selector, under task group 2
    ids = org_selectors.year_unit_ids(unit=zone, year=year)
    stats = monitoring_selectors.report_statistics(actor=actor, year=year, unit_ids=ids)
    expected = contributions.collect(actor=actor, unit=zone, year=year, unit_ids=ids, is_school=False)
    monitoring = [p.text for p in expected if p.group == 2]
    assert stats["total"] > 0  # the demo's monitored items of this year
    assert monitoring and monitoring[0] in paragraphs
    assert f"tiếp nhận {stats['total']:,}".replace(",", ".") in monitoring[0]


def test_parts_follow_the_readers_capabilities(people, units):
    helpline_services.child_submit(text="Em bị bắt nạt", client_address="192.0.2.77")
    year = timezone.localdate().year
    zone = units["hp-dk-cat-hai"]
    ids = org_selectors.year_unit_ids(unit=zone, year=year)
    focal = people["daumoi.thcscatba"]  # a school's focal point: no helpline statistics, no monitoring
    unit = units["hp-dk-cat-hai"].__class__.objects.get(id=min(org_selectors.own_unit_ids(actor=focal, capability="report.school")))
    parts = contributions.collect(actor=focal, unit=unit, year=year, is_school=True,
                                  unit_ids=org_selectors.year_unit_ids(unit=unit, year=year))
    assert not [p for p in parts if p.group in (2, 7)]
    leader = contributions.collect(actor=people["lanhdao"], unit=zone, year=year, unit_ids=ids, is_school=False)
    assert [p for p in leader if p.group == 7]
