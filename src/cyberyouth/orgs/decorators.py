"""View decorators of the scope gate: a page or API operation says which capability it serves."""

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from cyberyouth.errors import ScopeError

from . import selectors

NOT_FOR_YOUR_ROLE = "Chức năng này không dành cho vai trò của bạn."

View = TypeVar("View", bound=Callable[..., Any])


def requires(capability: str) -> Callable[[View], View]:
    """Let through only people who hold `capability` on some unit ("a|b": either one); others
    get a 403 before anything is read. Which units the request may touch is still decided by the
    selectors and services it calls. Works for Django views and django-ninja operations alike."""
    alternatives = capability.split("|")

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not any(selectors.can(actor=request.user, capability=c) for c in alternatives):
                raise ScopeError(NOT_FOR_YOUR_ROLE)
            return view(request, *args, **kwargs)

        wrapper.required_capability = capability  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
