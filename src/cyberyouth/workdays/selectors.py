"""Reads of the working-day calendar: THE calendar every app counts working days on.

    from cyberyouth.workdays import selectors as workdays
    cal = workdays.calendar()               # a WorkCalendar (pure, see workdays.calendar)
    cal.is_working_day(d); cal.add_working_days(d, 5); cal.deadline(received_at, 5)

The calendar is public knowledge (no scope); only editing it needs `calendar.manage`.
"""

from .calendar import WorkCalendar, calendar_from
from .models import CalendarDay


def calendar() -> WorkCalendar:
    """The calendar with every announced day (one small query; the holidays are computed)."""
    return calendar_from(CalendarDay.objects.values_list("day", "working", "name"))


def announced_days(*, year: int):
    return CalendarDay.objects.filter(day__year=year).order_by("day")
