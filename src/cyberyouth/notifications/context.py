"""Template context processor: the bell on the shell (how many unread notifications)."""

from django.utils.functional import SimpleLazyObject

from . import selectors


def bell(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    # Counted only if the page shows the bell (a student's pages do not).
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(actor=user))}
