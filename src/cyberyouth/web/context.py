import operator
from functools import partial

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from cyberyouth.orgs import selectors

from .registry import nav_entries

STUDENT_CAPABILITIES = frozenset({"unit.read", "student.participate"})


def navigation(request):
    """The menu: every app's `nav` entries the person's capabilities allow — worked out only if
    the page shows it (a student's pages and the contest page do not: two queries saved)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    menu = SimpleLazyObject(lambda: _menu(user))
    return {name: SimpleLazyObject(partial(operator.getitem, menu, name))
            for name in ("my_roles", "my_caps", "nav_links", "student_menu")}


def _menu(user) -> dict:
    roles = list(selectors.active_roles(actor=user))
    caps = selectors.capabilities_held(actor=user)
    if caps and caps <= STUDENT_CAPABILITIES:
        # A student's menu has nothing of the staff pages (their own pages have their own menu).
        return {"my_roles": roles, "my_caps": caps, "nav_links": [], "student_menu": True}
    links = []
    for url_name, label, capability in nav_entries():
        if capability and capability not in caps:
            continue
        try:
            links.append((reverse(url_name), label))
        except NoReverseMatch:
            continue
    return {"my_roles": roles, "my_caps": caps, "nav_links": links, "student_menu": False}
