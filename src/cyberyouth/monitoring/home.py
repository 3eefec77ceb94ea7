"""The home-page card for moderators: how much waits in the queue, the most urgent first."""

from cyberyouth.errors import DomainError

from . import scope, selectors


def panel(request):
    if not scope.moderated_unit_ids(actor=request.user):
        return None
    try:
        top = selectors.queue(actor=request.user, limit=5)
        waiting = selectors.open_count(actor=request.user)
    except DomainError:
        return None
    return "monitoring/_home.html", {"top": top, "waiting": waiting}
