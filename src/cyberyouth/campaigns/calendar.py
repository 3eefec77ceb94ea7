"""Pure computation of the calendar of days: where each commemorative day falls in a year (lunar
days at UTC+7 through `lib.lunar`), its anniversary and whether it is round, and the iCal text.
No database access: selectors hand in the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cyberyouth.lib import lunar

# The days every deployment starts with (the administrator edits them afterwards). Major days
# are Decree 145/2013/NĐ-CP Art. 4; the others are in docs/campaigns.md with their sources.
# (name, kind, month, day, origin year, major)
DEFAULT_DAYS: list[tuple[str, str, int, int, int | None, bool]] = [
    ("Tết Nguyên Đán", "lunar", 1, 1, None, True),
    ("Ngày thành lập Đảng Cộng sản Việt Nam", "solar", 2, 3, 1930, True),
    ("Giỗ Tổ Hùng Vương", "lunar", 3, 10, None, True),
    ("Ngày Giải phóng miền Nam, thống nhất đất nước", "solar", 4, 30, 1975, True),
    ("Ngày Chiến thắng Điện Biên Phủ", "solar", 5, 7, 1954, True),
    ("Ngày sinh Chủ tịch Hồ Chí Minh", "solar", 5, 19, 1890, True),
    ("Ngày Cách mạng Tháng Tám thành công", "solar", 8, 19, 1945, True),
    ("Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam", "solar", 9, 2, 1945, True),
    ("Ngày truyền thống học sinh, sinh viên", "solar", 1, 9, 1950, False),
    ("Ngày thành lập Đoàn TNCS Hồ Chí Minh", "solar", 3, 26, 1931, False),
    ("Ngày Giải phóng Hải Phòng", "solar", 5, 13, 1955, False),
    ("Ngày Thương binh – Liệt sĩ", "solar", 7, 27, 1947, False),
    ("Ngày thành lập Hội Liên hiệp Thanh niên Việt Nam", "solar", 10, 15, 1956, False),
    ("Ngày Nhà giáo Việt Nam", "solar", 11, 20, 1982, False),
    ("Ngày thành lập Quân đội nhân dân Việt Nam, Ngày hội Quốc phòng toàn dân", "solar", 12, 22, 1944, False),
    ("Ngày thành lập Đặc khu Cát Hải", "solar", 7, 1, 2025, False),
]


@dataclass(frozen=True)
class Occurrence:
    """A day as it falls in one year."""

    on: date
    name: str
    day_id: int | None
    lunar: bool
    major: bool
    anniversary: int | None  # the n-th anniversary, when the origin year is known
    unit_name: str = ""

    @property
    def round(self) -> bool:
        return bool(self.anniversary) and self.anniversary % 5 == 0

    @property
    def label(self) -> str:
        if not self.anniversary:
            return self.name
        return f"{self.name} — {self.anniversary} năm" + (" (năm chẵn)" if self.round else "")


def falls_on(*, kind: str, month: int, day: int, year: int) -> date | None:
    """The solar date of a day in `year`; None when it does not exist that year (29/2, a lunar
    30th in a 29-day month — the lunar 30th then falls back to the 29th's next day, i.e. the
    first of the next month, which is how such days are kept in practice)."""
    if kind == "lunar":
        try:
            return lunar.lunar_to_solar(year, month, day)
        except (ValueError, KeyError):
            if day == 30:
                return lunar.lunar_to_solar(year, month, 29) + timedelta(days=1)
            return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def occurrences(rows, *, year: int) -> list[Occurrence]:
    """`rows`: objects with name, kind, month, day, origin_year, major, id and unit (or None)."""
    out = []
    for row in rows:
        on = falls_on(kind=row.kind, month=row.month, day=row.day, year=year)
        if on is None or (row.origin_year and year < row.origin_year):
            continue
        anniversary = year - row.origin_year if row.origin_year and year > row.origin_year else None
        out.append(Occurrence(on=on, name=row.name, day_id=row.id, lunar=row.kind == "lunar", major=row.major,
                              anniversary=anniversary, unit_name=row.unit.name if row.unit_id else ""))
    return sorted(out, key=lambda o: (o.on, not o.major, o.name))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets are folded (continuation starts with a space)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode()
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += b
    parts.append(current.decode())
    return "\r\n ".join(parts)


def ical(items: list[Occurrence], *, stamp: datetime, name: str = "Lịch các ngày kỷ niệm") -> str:
    """An iCalendar (RFC 5545) feed of all-day events."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//cyberyouth//campaigns//VI", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(name)}", "X-WR-TIMEZONE:Asia/Ho_Chi_Minh"]
    for o in items:
        lines += ["BEGIN:VEVENT", f"UID:day-{o.day_id}-{o.on:%Y%m%d}@cyberyouth", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
                  f"DTSTART;VALUE=DATE:{o.on:%Y%m%d}", f"DTEND;VALUE=DATE:{o.on + timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_escape(o.label)}"]
        if o.lunar:
            lines.append(f"DESCRIPTION:{_escape('Theo âm lịch Việt Nam (UTC+7)')}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
