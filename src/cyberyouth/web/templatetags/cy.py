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


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str) -> bool:
    """Whether the person may open the page `url_name` names (one without arguments), read from
    the capability its view declares with `orgs.decorators.requires` — so a menu offers no link
    to a 403 and does not repeat the view's rule."""
    from django.urls import resolve, reverse

    needed = getattr(resolve(reverse(url_name)).func, "required_capability", None)
    return needed is None or any(c in context.get("my_caps", ()) for c in needed.split("|"))
