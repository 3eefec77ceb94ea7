"""The calendar of days: lunar days at UTC+7 for 2022–2030, anniversaries, units' own days, iCal."""

from datetime import date

import pytest

from cyberyouth.campaigns import calendar, services
from cyberyouth.campaigns.models import CommemorativeDay
from cyberyouth.errors import DomainError, NotFound, ScopeError

# Tết and Giỗ Tổ Hùng Vương on Viet Nam's calendar (UTC+7); 2030 differs from China's (3/2).
TET = {2022: date(2022, 2, 1), 2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
       2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26), 2029: date(2029, 2, 13),
       2030: date(2030, 2, 2)}
HUNG_KINGS = {2022: date(2022, 4, 10), 2023: date(2023, 4, 29), 2024: date(2024, 4, 18), 2025: date(2025, 4, 7),
              2026: date(2026, 4, 26), 2027: date(2027, 4, 16), 2028: date(2028, 4, 4), 2029: date(2029, 4, 23),
              2030: date(2030, 4, 12)}


@pytest.mark.parametrize("year", range(2022, 2031))
def test_lunar_days_fall_on_the_vietnamese_dates(db, year):
    by_name = {o.name: o for o in calendar.occurrences(CommemorativeDay.objects.filter(unit__isnull=True), year=year)}
    assert by_name["Tết Nguyên Đán"].on == TET[year]
    assert by_name["Giỗ Tổ Hùng Vương"].on == HUNG_KINGS[year]
    assert by_name["Tết Nguyên Đán"].lunar and by_name["Tết Nguyên Đán"].major


def test_the_starting_calendar_has_decree_145_days_and_hai_phong_liberation(db):
    days = {d.name: d for d in CommemorativeDay.objects.filter(unit__isnull=True)}
    assert sum(d.major for d in days.values()) == 8
    hp = days["Ngày Giải phóng Hải Phòng"]
    assert (hp.month, hp.day, hp.origin_year) == (5, 13, 1955)  # not 10/10, Hà Nội's


def test_round_anniversaries_are_multiples_of_five(db):
    by_name = {o.name: o for o in calendar.occurrences(CommemorativeDay.objects.filter(unit__isnull=True), year=2030)}
    assert by_name["Ngày Giải phóng Hải Phòng"].anniversary == 75 and by_name["Ngày Giải phóng Hải Phòng"].round
    assert by_name["Ngày sinh Chủ tịch Hồ Chí Minh"].anniversary == 140
    by_name_2027 = {o.name: o for o in calendar.occurrences(CommemorativeDay.objects.all(), year=2027)}
    assert not by_name_2027["Ngày Giải phóng Hải Phòng"].round  # 72nd
    assert "năm chẵn" in by_name["Ngày Giải phóng Hải Phòng"].label
    # a day before its event is not kept; Đặc khu Cát Hải (2025) has no day in 2024
    assert "Ngày thành lập Đặc khu Cát Hải" not in {o.name for o in calendar.occurrences(
        CommemorativeDay.objects.all(), year=2024)}


def test_a_school_adds_its_founding_day_and_only_its_own(db, people, units):
    row = services.day_create(actor=people["daumoi.thcscatba"], name="Ngày thành lập trường", kind="solar",
                              month=9, day=5, origin_year=1996, unit=units["thcs-cat-ba"])
    assert row.unit == units["thcs-cat-ba"] and not row.major
    with pytest.raises(NotFound):  # another school's unit: the same as a missing one
        services.day_create(actor=people["daumoi.thcscatba"], name="X", kind="solar", month=1, day=2,
                            unit=units["thcs-cat-hai"])
    with pytest.raises(ScopeError):  # a day for everyone needs campaign.manage
        services.day_create(actor=people["daumoi.thcscatba"], name="X", kind="solar", month=1, day=2)


def test_the_year_view_shows_own_days_only_to_those_who_read_the_unit(db, people, units, client_for):
    services.day_create(actor=people["daumoi.thcscatba"], name="Ngày thành lập Trường THCS Cát Bà", kind="solar",
                        month=9, day=5, origin_year=1996, unit=units["thcs-cat-ba"])
    assert "Ngày thành lập Trường THCS Cát Bà" in client_for("daumoi.thcscatba").get("/chien-dich/lich/?nam=2026").text
    assert "Ngày thành lập Trường THCS Cát Bà" not in client_for("daumoi.thcscathai").get("/chien-dich/lich/?nam=2026").text
    assert "Ngày thành lập Trường THCS Cát Bà" in client_for("thuongtruc").get("/chien-dich/lich/?nam=2026").text


@pytest.mark.parametrize("kind,month,day", [("solar", 2, 30), ("solar", 4, 31), ("lunar", 1, 31), ("solar", 13, 1)])
def test_impossible_days_are_refused(db, people, kind, month, day):
    with pytest.raises(DomainError):
        services.day_create(actor=people["doan"], name="Ngày sai", kind=kind, month=month, day=day)


def test_29_february_exists_only_in_leap_years(db, people):
    services.day_create(actor=people["doan"], name="Ngày nhuận", kind="solar", month=2, day=29)
    rows = CommemorativeDay.objects.filter(name="Ngày nhuận")
    assert [o.on for o in calendar.occurrences(rows, year=2028)] == [date(2028, 2, 29)]
    assert calendar.occurrences(rows, year=2027) == []


def test_ical_feed_is_rfc5545_with_all_day_events(db, client):
    response = client.get("/chien-dich/lich.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:" in body and "Giỗ Tổ Hùng Vương" in body.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_the_peak_week_button_offers_the_launchers_own_unit_first(db, client_for):
    import re

    page = client_for("doan").get("/chien-dich/lich/?nam=2026").text
    first = re.search(r'<select name="owner"[^>]*><option value="([^"]+)"', page).group(1)
    assert first == "hp-dk-cat-hai"
    assert 'name="owner"' not in client_for("daumoi.thcscatba").get("/chien-dich/lich/?nam=2026").text
