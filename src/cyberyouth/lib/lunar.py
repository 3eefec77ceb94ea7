"""The Vietnamese lunar calendar (âm lịch), pure Python: Hồ Ngọc Đức's algorithm on UTC+7.

Since 1967 Viet Nam computes its lunar calendar at UTC+7, so some dates differ from China's
(UTC+8): Tết 1985 was 21 Jan here, 20 Feb there; Tết 2030 is 2 Feb here, 3 Feb in China.
New moons and solar terms are computed astronomically (Meeus' formulae, as in Hồ Ngọc Đức's
"Thuật toán tính âm lịch"), good for 1800–2199.

    >>> solar_to_lunar(date(2030, 2, 2))
    LunarDate(year=2030, month=1, day=1, leap=False)
    >>> lunar_to_solar(2030, 3, 10)           # Giỗ Tổ Hùng Vương
    datetime.date(2030, 4, 12)

API: `solar_to_lunar(d)`, `lunar_to_solar(year, month, day, leap=False)`, `tet(year)`,
`hung_kings_day(year)`. No Django, no third-party package.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

TIME_ZONE = 7.0  # hours east of UTC: Viet Nam's calendar since 1967
_JD_UNIX_ORDINAL = 1721425  # julian day number of date(1, 1, 1) minus 1 (date.toordinal() + this)


@dataclass(frozen=True)
class LunarDate:
    year: int
    month: int
    day: int
    leap: bool = False


def jd_from_date(d: date) -> int:
    return d.toordinal() + _JD_UNIX_ORDINAL


def date_from_jd(jd: int) -> date:
    return date.fromordinal(jd - _JD_UNIX_ORDINAL)


def _new_moon_jd(k: int) -> float:
    """Julian day (UT) of the k-th new moon after 1/1/1900 (Meeus, ch. 49, simplified)."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 = c1 - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(dr * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        deltat = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        deltat = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - deltat


def _new_moon_day(k: int) -> int:
    """The local (UTC+7) day number on which the k-th new moon falls."""
    return math.floor(_new_moon_jd(k) + 0.5 + TIME_ZONE / 24)


def _sun_longitude_sector(jdn: int) -> int:
    """The sun's longitude at local midnight starting day `jdn`, as a sector 0..11 of 30°
    (0 = 0°–30°): which major solar term (trung khí) has been passed."""
    t = (jdn - 0.5 - TIME_ZONE / 24 - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    lon = (l0 + dl) * dr
    lon -= math.pi * 2 * math.floor(lon / (math.pi * 2))
    if lon < 0:
        lon += 2 * math.pi
    return math.floor(lon / math.pi * 6)


@lru_cache(maxsize=512)
def _month11(year: int) -> int:
    """Day number of the first day of the lunar month containing the winter solstice of `year`."""
    off = jd_from_date(date(year, 12, 31)) - 2415021
    k = math.floor(off / 29.530588853)
    nm = _new_moon_day(k)
    if _sun_longitude_sector(nm) >= 9:
        nm = _new_moon_day(k - 1)
    return nm


@lru_cache(maxsize=512)
def _leap_month_offset(a11: int) -> int:
    k = math.floor((a11 - 2415021.076998695) / 29.530588853 + 0.5)
    i = 1
    arc = _sun_longitude_sector(_new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = _sun_longitude_sector(_new_moon_day(k + i))
        if arc == last or i >= 14:
            break
    return i - 1


def solar_to_lunar(d: date) -> LunarDate:
    day_number = jd_from_date(d)
    # The month starts on the last new moon on or before the day. The mean lunation only
    # estimates its index: the true new moon can fall a day or more off the mean one, so step
    # back or forward until it is the right one (Hồ Ngọc Đức's single step back left 7/5/2054 and
    # 9/4/2062 on a "day 0", after a new moon that falls the next day).
    k = math.floor((day_number - 2415021.076998695) / 29.530588853) + 1
    while _new_moon_day(k) > day_number:
        k -= 1
    while _new_moon_day(k + 1) <= day_number:
        k += 1
    month_start = _new_moon_day(k)
    a11 = _month11(d.year)
    b11 = a11
    if a11 >= month_start:
        lunar_year = d.year
        a11 = _month11(d.year - 1)
    else:
        lunar_year = d.year + 1
        b11 = _month11(d.year + 1)
    lunar_day = day_number - month_start + 1
    diff = (month_start - a11) // 29
    leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11)
        if diff >= leap_diff:
            lunar_month = diff + 10
            if diff == leap_diff:
                leap = True
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return LunarDate(lunar_year, lunar_month, lunar_day, leap)


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date:
    """The solar date of a lunar date. ValueError if that date does not exist (a leap month the
    year does not have, day 30 of a 29-day month)."""
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise ValueError("ngày âm lịch không hợp lệ")
    if month < 11:
        a11, b11 = _month11(year - 1), _month11(year)
    else:
        a11, b11 = _month11(year), _month11(year + 1)
    k = math.floor(0.5 + (a11 - 2415021.076998695) / 29.530588853)
    off = month - 11
    if off < 0:
        off += 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11)
        leap_month = leap_off - 2
        if leap_month < 0:
            leap_month += 12
        if leap and month != leap_month:
            raise ValueError("năm âm lịch này không có tháng nhuận đó")
        if leap or off >= leap_off:
            off += 1
    elif leap:
        raise ValueError("năm âm lịch này không có tháng nhuận")
    month_start = _new_moon_day(k + off)
    result = date_from_jd(month_start + day - 1)
    if solar_to_lunar(result) != LunarDate(year, month, day, leap):
        raise ValueError("tháng âm lịch này không có ngày đó")
    return result


def tet(year: int) -> date:
    """Mùng 1 Tết (the first day of the lunar year that starts in solar `year`)."""
    return lunar_to_solar(year, 1, 1)


def hung_kings_day(year: int) -> date:
    """Giỗ Tổ Hùng Vương: the 10th day of the 3rd lunar month."""
    return lunar_to_solar(year, 3, 10)
