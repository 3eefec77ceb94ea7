"""Demo indicators (the plan's five, from the data file), yearly periods 2023–2025 and the
current year, and 2023–2025 reports of the Cát Hải units with a realistic mix: most on time
and approved, some late, one returned and corrected, one returned and still pending, one never
sent; the district and its communes (merged into Đặc khu Cát Hải on 1/7/2025) reported for
2023 and 2024, the special zone from 2025. Past years are recorded as history imports (with
their real dates); the current year's period is open for data entry."""

import json
import random
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit

from . import services
from .models import Indicator, Period, Submission, SubmissionStatus

DATA_FILE = Path(__file__).parent / "data" / "plan-311-indicators.json"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PAST_YEARS = (2023, 2024, 2025)

# Enrolment of the demo schools (2023); grows a little every year.
ENROLMENT = {
    "th-cat-ba": 820, "th-cat-hai": 640, "th-thcs-hien-hao": 510, "th-thcs-phu-long": 430, "thcs-cat-ba": 760,
    "thcs-cat-hai": 590, "thpt-cat-ba": 880, "gdnn-gdtx-cat-hai": 460, "cd-du-lich-cat-ba": 310,
}
# (year, unit code) → what happened to the report
EVENTS = {
    (2023, "th-cat-hai"): "late",
    (2023, "hp-cat-hai-xa-xuan-dam"): "late",
    (2024, "cd-du-lich-cat-ba"): "returned_fixed",
    (2024, "th-thcs-phu-long"): "late",
    (2025, "thcs-cat-hai"): "returned",
    (2025, "th-thcs-phu-long"): "submitted",
    (2025, "th-cat-hai"): "missing",
    (2025, "hp-dk-cat-hai"): "draft",
}
NOTES = {
    (2023, "th-cat-hai"): "Nộp muộn do thay đổi cán bộ đầu mối giữa năm học.",
    (2024, "cd-du-lich-cat-ba"): "Đã rà soát lại số học sinh theo danh sách chính thức năm học 2024-2025.",
    (2025, "gdnn-gdtx-cat-hai"): "Số liệu tính đến 31/12/2025, sau khi sắp xếp thành đơn vị trực thuộc đặc khu.",
}


def _at(d: date, hour: int = 9) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=TZ)


def _school_values(code: str, year: int, rng: random.Random, *, vocational: bool) -> tuple[dict, dict]:
    k = year - 2023
    enrolled = int(ENROLMENT[code] * (1 + 0.03 * k) + rng.randint(-10, 10))
    reached = int(enrolled * min(0.99, 0.74 + 0.09 * k + rng.uniform(-0.03, 0.03)))
    ack = int(enrolled * min(0.97, 0.62 + 0.12 * k + rng.uniform(-0.03, 0.03)))
    ack = min(ack, reached)
    values = {"students_enrolled": enrolled, "students_cc_reached": reached, "students_cc_ack": ack}
    evidence = {}
    teaches = int(k >= 1 or code == "thcs-cat-ba") if not vocational else int(
        (code == "gdnn-gdtx-cat-hai" and k >= 1) or k >= 2)
    values["teaches_safety"] = teaches
    if teaches:
        evidence["teaches_safety"] = f"Kế hoạch số {rng.randint(10, 99)}/KH-{code.upper()[:6]} ngày 05/9/{year}"
    if vocational:
        members = rng.randint(40, 80)
        staff = rng.randint(12, 20)
        values.update({
            "union_new_members": members,
            "union_new_studied": int(members * min(1.0, 0.55 + 0.14 * k + rng.uniform(-0.04, 0.04))),
            "staff_student_work": staff,
            "staff_trained": int(staff * min(1.0, 0.5 + 0.2 * k + rng.uniform(-0.05, 0.05))),
        })
    return values, evidence


def _local_values(year: int, rng: random.Random) -> tuple[dict, dict]:
    sessions = rng.randint(2, 6) + (year - 2023)
    return ({"propaganda_sessions": sessions, "propaganda_participants": sessions * rng.randint(60, 140),
             "has_local_plan": 1},
            {"has_local_plan": f"Kế hoạch số {rng.randint(10, 199)}/KH-UBND ngày {rng.randint(1, 28)}/3/{year}"})


def ensure_periods(*, actor) -> None:
    today = org_selectors.today()
    for year in range(2023, today.year + 1):
        if not Period.objects.filter(year=year).exists():
            opens = min(date(year, 11, 15), today)
            services.period_open(actor=actor, year=year, opens_on=opens, deadline=date(year + 1, 1, 15))


@transaction.atomic
def load(*, actor) -> None:
    services.definitions_load(actor=actor, data=json.loads(DATA_FILE.read_text(encoding="utf-8")))
    if not Unit.objects.filter(code="hp-dk-cat-hai").exists():
        return
    ensure_periods(actor=actor)
    if Submission.objects.filter(unit__code="gdnn-gdtx-cat-hai", year=2023).exists():
        return
    rng = random.Random(311)
    vocational_types = set(Indicator.objects.get(number=2).unit_types)
    for year in PAST_YEARS:
        period = Period.objects.get(year=year)
        reporters = _reporters(year, period)
        # leaves first, so that the approvals read bottom-up
        for unit in sorted(reporters, key=lambda u: u.unit_type in ("district", "special_zone", "province")):
            event = EVENTS.get((year, unit.code), "on_time")
            if event == "missing":
                continue
            if unit.unit_type in vocational_types or unit.code in ENROLMENT:
                values, evidence = _school_values(unit.code, year, rng, vocational=unit.unit_type in vocational_types)
            else:
                values, evidence = _local_values(year, rng)
            first = _at(date(year, 12, rng.randint(5, 28)))
            if event == "late":
                first = _at(date(year + 1, 1, rng.randint(20, 30)))
            status = {"returned": SubmissionStatus.RETURNED, "submitted": SubmissionStatus.SUBMITTED,
                      "draft": SubmissionStatus.DRAFT}.get(event, SubmissionStatus.APPROVED)
            comment = ""
            if event == "returned_fixed":
                comment = "Đã trả lại ngày 10/01/2025 (số học sinh chưa khớp danh sách); đơn vị đã sửa và gửi lại."
            if event == "returned":
                comment = "Số học sinh đã cam kết lớn bất thường so với năm trước; đề nghị kiểm tra lại danh sách."
            services.history_import(
                actor=actor, unit=unit, year=year, values=values, evidence=evidence, status=status,
                note=NOTES.get((year, unit.code), ""), return_comment=comment,
                first_submitted_at=None if event == "draft" else first,
                submitted_at=_at(date(year + 1, 2, 3)) if event == "returned_fixed" else None,
                approved_at=_at(date(year + 1, 2, 20)) if status == SubmissionStatus.APPROVED else None,
            )


def _reporters(year: int, period: Period) -> list[Unit]:
    """Units with a form standing at the deadline under Hải Phòng (the demo tree)."""
    on = min(period.deadline, org_selectors.today())
    hp = Unit.objects.get(code="hp")
    ids = org_selectors.descendant_ids(unit_ids=[hp.id], on=on)
    from .selectors import form_for_type

    units = [u for u in Unit.objects.filter(id__in=ids).exclude(id=hp.id) if form_for_type(u.unit_type)]
    return sorted(units, key=lambda u: u.code)
