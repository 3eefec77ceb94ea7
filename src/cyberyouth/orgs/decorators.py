"""View decorators of the scope gate: a page or API operation says which capability it serves."""

import functools

from cyberyouth.errors import ScopeError

from . import selectors

NOT_FOR_YOUR_ROLE = "Chức năng này không dành cho vai trò của bạn."


def requires(capability: str):
    """Let through only people who hold `capability` on some unit ("a|b": either one); others
    get a 403 before anything is read. Which units the request may touch is still decided by the
    selectors and services it calls. Works for Django views and django-ninja operations alike."""
    alternatives = capability.split("|")

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(selectors.can(actor=request.user, capability=c) for c in alternatives):
                raise ScopeError(NOT_FOR_YOUR_ROLE)
            return view(request, *args, **kwargs)

        wrapper.required_capability = capability
        return wrapper

    return decorate
