from django import template

from cyberyouth.lib.money import format_vnd

register = template.Library()


@register.filter
def vnd(value) -> str:
    """1250000 → "1.250.000"; 0 or nothing → "—"."""
    return format_vnd(int(value)) if value else "—"
