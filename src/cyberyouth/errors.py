"""Errors the services raise. Views turn them into Vietnamese messages, the API into 4xx.

Every refusal carries a code from `ErrorCode` (after Zulip's `ErrorCode`): clients branch on
the code, never on the Vietnamese message, which may be reworded at any time.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    INVALID = "invalid"                 # a value breaks a rule (the field says which)
    INVALID_VALUES = "invalid_values"   # several fields at fault (FormErrors)
    JUMP = "jump"                       # a figure jumps implausibly from the year before
    FORBIDDEN = "forbidden"             # ScopeError: seen but not allowed
    NOT_FOUND = "not_found"             # NotFound: missing, or not yours
    RATE_LIMITED = "rate_limited"
    CONFLICT = "conflict"               # the object changed state meanwhile
    CONTROL_CHARACTER = "control_character"  # NUL or another control character in the input
    TOO_LONG = "too_long"               # a text longer than any field takes
    OUT_OF_RANGE = "out_of_range"       # a number outside what the parameter allows


class DomainError(Exception):
    """A request that breaks a rule of the domain. `field` names the input at fault."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


class ScopeError(DomainError):
    """The actor may not see or change this object."""

    status_code = 403

    def __init__(self, message: str = "Bạn không có quyền với đơn vị này.", **kwargs):
        kwargs.setdefault("code", "forbidden")
        super().__init__(message, **kwargs)


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "Không tìm thấy.", **kwargs):
        kwargs.setdefault("code", "not_found")
        super().__init__(message, **kwargs)
