"""Template context processor: the bell on the shell (how many unread notifications)."""

from . import selectors


def bell(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(actor=user)}
