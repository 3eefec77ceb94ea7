from cyberyouth.orgs import selectors


def navigation(request):
    """The menu depends on what the person may do; computed once per page."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    roles = list(selectors.active_roles(actor=user))
    caps = set().union(*(selectors.CAPABILITIES.get(r.role, frozenset()) for r in roles)) if roles else set()
    if user.is_superuser:
        caps |= set().union(*selectors.CAPABILITIES.values())
    return {"my_roles": roles, "my_caps": caps}
