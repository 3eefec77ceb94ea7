"""Numbers and dates as Vietnamese official documents write them (reports and the apps' report parts)."""

from datetime import date


def fmt_int(x) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    if x is None:
        return "—"
    value = float(x)
    if value.is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def fmt_pct(x, digits: int = 1) -> str:
    if x is None:
        return "—"
    return f"{x:.{digits}f}".replace(".", ",") + "%"


def share(part: int, whole: int) -> str:
    return fmt_pct(100.0 * part / whole) if whole else "—"


def fmt_date(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def short_date(d: date) -> str:
    """"05/3/2022" as Vietnamese documents cite dates."""
    return f"{d.day:02d}/{d.month}/{d.year}"
