from django import template

register = template.Library()

STATUS_CLASS = {
    "done": "ok", "in_progress": "warn", "not_started": "bad", "not_applicable": "muted", "missing": "missing",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
