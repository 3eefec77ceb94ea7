"""Working-day arithmetic on Viet Nam's calendar — pure Python (no Django, no database).

`statutory_holidays(year)` computes the Labour Code 2019 (Art. 112) days off that need no
announcement: New Year (1/1), Tết (by default the last day of the lunar year and mùng 1–4, the
usual pattern; the Prime Minister announces the exact days each year), Hùng Kings (10/3 lunar),
30/4, 1/5 and 2/9 — with a compensatory day off on the next working day when one of the
fixed-date days falls on a weekend (Art. 111.3). The days the government announces each year
(extra Tết days, the second National Day day, swapped working Saturdays) are data kept by the
`workdays` app; `WorkCalendar` combines both.

A period "within N working days from receipt" starts the day after receipt (Civil Code Art.
147) and ends at the end of the Nth working day (local time, UTC+7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from cyberyouth.lib import lunar

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKEND = frozenset({5, 6})  # Saturday, Sunday


def statutory_holidays(year: int) -> dict[date, str]:
    """The Labour Code's days off in `year` (a new dict each call; computed once per year)."""
    return dict(_statutory(year))


@lru_cache(maxsize=256)
def _statutory(year: int) -> dict[date, str]:
    days: dict[date, str] = {}
    fixed = {date(year, 1, 1): "Tết Dương lịch", date(year, 4, 30): "Ngày Chiến thắng",
             date(year, 5, 1): "Ngày Quốc tế lao động", date(year, 9, 2): "Quốc khánh"}
    hung = lunar.hung_kings_day(year)
    fixed[hung] = "Giỗ Tổ Hùng Vương"
    new_year = lunar.tet(year)
    for offset in range(-1, 4):
        day = new_year + timedelta(days=offset)
        days[day] = "Tết Nguyên đán" if offset >= 0 else "Tết Nguyên đán (ngày cuối năm âm lịch)"
    days.update(fixed)
    for day in sorted(fixed):
        if day.weekday() in WEEKEND:
            comp = day + timedelta(days=1)
            while comp.weekday() in WEEKEND or comp in days:
                comp += timedelta(days=1)
            days[comp] = f"Nghỉ bù {fixed[day]}"
    return days


@dataclass
class WorkCalendar:
    """Weekends and holidays off, plus announced days off (`extra_off`) and swapped working
    days (`extra_work`, which win over everything: a Saturday worked, a computed day taken back)."""

    extra_off: dict[date, str] = field(default_factory=dict)
    extra_work: set[date] = field(default_factory=set)
    _years: dict[int, dict[date, str]] = field(default_factory=dict, repr=False)

    def _statutory(self, year: int) -> dict[date, str]:
        if year not in self._years:
            self._years[year] = statutory_holidays(year)
        return self._years[year]

    def holiday_name(self, day: date) -> str:
        """Why `day` is off ("" for a working day or a plain weekend)."""
        if day in self.extra_work:
            return ""
        return self.extra_off.get(day) or self._statutory(day.year).get(day, "")

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_work:
            return True
        if day.weekday() in WEEKEND:
            return False
        return not (day in self.extra_off or day in self._statutory(day.year))

    def holidays(self, year: int) -> dict[date, str]:
        """Every day off in `year` that is not a plain weekend, with its name."""
        days = {**self._statutory(year), **{d: n for d, n in self.extra_off.items() if d.year == year}}
        return {d: days[d] for d in sorted(days) if d not in self.extra_work}

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day after `start` (`start` itself not counted); n ≥ 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=i)))

    def deadline(self, received: datetime, n: int) -> datetime:
        """End of the Nth working day after the local day of `received` (an aware datetime),
        as an aware datetime (the first instant of the next day, local)."""
        local_day = received.astimezone(LOCAL).date()
        last = self.add_working_days(local_day, n)
        return datetime.combine(last + timedelta(days=1), time(0), tzinfo=LOCAL)


def calendar_from(days: Iterable[tuple[date, bool, str]]) -> WorkCalendar:
    """A WorkCalendar from announced days: (date, is a working day, name)."""
    cal = WorkCalendar()
    for day, working, name in days:
        if working:
            cal.extra_work.add(day)
        else:
            cal.extra_off[day] = name
    return cal
