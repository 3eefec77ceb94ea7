"""How a clock reads on a page, in Vietnamese: "còn 1 giờ 20 phút (hạn 13:15 02/12)"."""

from datetime import timedelta

from django import template
from django.utils import timezone

register = template.Library()


def span_text(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = ([f"{days} ngày"] if days else []) + ([f"{hours} giờ"] if hours else [])
    if not days:
        parts.append(f"{mins} phút")
    return " ".join(parts)


@register.filter
def deadline(value) -> str:
    """A deadline at local midnight is the end of the day before ("hết ngày 09/12/2026")."""
    local = timezone.localtime(value)
    if local.hour == 0 and local.minute == 0:
        return f"hết ngày {(local - timedelta(minutes=1)):%d/%m/%Y}"
    return f"{local:%H:%M %d/%m/%Y}"


@register.simple_tag
def clock_state(clock, now) -> str:
    if clock.met_at:
        when = timezone.localtime(clock.met_at)
        return f"xong {when:%H:%M %d/%m}" + ("" if clock.met_in_time else " (trễ hạn)")
    if clock.due_at <= now:
        return f"QUÁ HẠN {span_text(now - clock.due_at)} (hạn {deadline(clock.due_at)})"
    return f"còn {span_text(clock.due_at - now)} (hạn {deadline(clock.due_at)})"
