from django import template

from cyberyouth.audit.labels import action_label as _label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _label(code)
