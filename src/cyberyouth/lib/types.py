"""Types every app's signatures share."""

from typing import Any, Protocol


class Actor(Protocol):
    """Whoever asks: a signed-in user, an anonymous visitor, or a command's system actor. The
    scope gate reads only these; everything else about a person comes from their roles."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...
