"""Working days on Viet Nam's calendar: weekends, the Labour Code's holidays (Tết and Hùng Kings
on the lunar calendar), compensatory days, announced days off and swapped working days."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberyouth.workdays.calendar import WorkCalendar, statutory_holidays

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_holidays_2030_include_tet_and_hung_kings_on_the_vietnamese_dates():
    days = statutory_holidays(2030)
    # Tết 2030 = 2/2 (Saturday): 1/2 (last day of the lunar year) to 5/2
    for d in range(1, 6):
        assert date(2030, 2, d) in days
    assert date(2030, 2, 6) not in days
    assert days[date(2030, 4, 12)] == "Giỗ Tổ Hùng Vương"
    assert date(2030, 9, 2) in days and date(2030, 1, 1) in days


def test_a_fixed_holiday_on_a_weekend_gives_the_next_working_day_off():
    # 2/9/2029 is a Sunday → Monday 3/9/2029 off
    cal = WorkCalendar()
    assert date(2029, 9, 2).weekday() == 6
    assert not cal.is_working_day(date(2029, 9, 3))
    assert cal.is_working_day(date(2029, 9, 4))


def test_five_working_days_across_tet_2030():
    cal = WorkCalendar()
    # received Thursday 31/1/2030: Fri 1/2 is off (last day of the year), Tết to Tue 5/2;
    # working days: Wed 6, Thu 7, Fri 8, Mon 11, Tue 12
    assert cal.add_working_days(date(2030, 1, 31), 5) == date(2030, 2, 12)
    received = datetime(2030, 1, 31, 16, 30, tzinfo=VN)
    assert cal.deadline(received, 5) == datetime(2030, 2, 13, 0, 0, tzinfo=VN)


def test_announced_days_and_swaps():
    cal = WorkCalendar(extra_off={date(2030, 2, 6): "Nghỉ Tết theo thông báo"}, extra_work={date(2030, 2, 9)})
    assert not cal.is_working_day(date(2030, 2, 6))
    assert cal.is_working_day(date(2030, 2, 9))  # a Saturday worked
    assert cal.add_working_days(date(2030, 1, 31), 5) == date(2030, 2, 12)  # lost Wed 6, gained Sat 9
    assert date(2030, 2, 6) in cal.holidays(2030)


years = st.integers(min_value=2001, max_value=2099)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 6, 30)), st.integers(min_value=1, max_value=40))
def test_properties_of_adding_working_days(start, n):
    cal = WorkCalendar()
    end = cal.add_working_days(start, n)
    assert end > start
    assert cal.is_working_day(end)
    assert cal.working_days_between(start, end) == n
    assert cal.working_days_between(start, end - timedelta(days=1)) == n - 1
    # never a weekend, never a holiday
    assert end.weekday() < 5 and end not in statutory_holidays(end.year)
    # monotonic in n
    assert cal.add_working_days(start, n + 1) > end


@settings(max_examples=60, deadline=None)
@given(years)
def test_every_year_has_the_tet_block_off(year):
    cal = WorkCalendar()
    from cyberyouth.lib.lunar import tet

    for offset in range(-1, 4):
        assert not cal.is_working_day(tet(year) + timedelta(days=offset))


@pytest.mark.django_db
def test_the_administrator_edits_the_calendar_and_others_cannot(client_for, people):
    from cyberyouth.errors import ScopeError
    from cyberyouth.workdays import selectors, services

    page = client_for("thuongtruc").get("/lich-lam-viec/?nam=2030")
    assert page.status_code == 200 and "Giỗ Tổ Hùng Vương" in page.content.decode()
    r = client_for("thuongtruc").post("/lich-lam-viec/", {"day": "2030-02-06", "working": "0",
                                                          "name": "Nghỉ Tết theo Thông báo 1234/TB-BNV"})
    assert r.status_code == 302
    assert not selectors.calendar().is_working_day(date(2030, 2, 6))
    r = client_for("thuongtruc").post("/lich-lam-viec/", {"day": "2030-02-09", "working": "0", "name": ""})
    assert r.status_code == 200 and "Tên / căn cứ" in r.content.decode()
    assert client_for("tuvan").get("/lich-lam-viec/").status_code == 403
    with pytest.raises(ScopeError):
        services.day_set(actor=people["daumoi.thcscatba"], day=date(2030, 2, 9), working=True, name="Làm bù")
