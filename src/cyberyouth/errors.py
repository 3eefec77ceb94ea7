"""Errors the services raise. Views turn them into Vietnamese messages, the API into 4xx.

Every refusal carries a code from `ErrorCode` (after Zulip's `ErrorCode`): clients branch on
the code, never on the Vietnamese message, which may be reworded at any time.
"""

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    INVALID = "invalid"                   # a value breaks a rule (the field says which)
    INVALID_VALUES = "invalid_values"     # several fields at fault (FormErrors)
    JUMP = "jump"                         # a figure jumps implausibly from the year before
    FORBIDDEN = "forbidden"               # ScopeError: seen but not allowed
    NOT_FOUND = "not_found"               # NotFound: missing, or not yours
    RATE_LIMITED = "rate_limited"
    CONFLICT = "conflict"                 # the object changed state meanwhile
    # the unit tree, people, moderation
    ALREADY_ERASED = "already_erased"     # a person's data was erased before
    BEFORE_UNIT_EXISTED = "before_unit_existed"   # a date before the unit existed
    CHILD_UNASSIGNED = "child_unassigned"   # a split left a child unit without a parent
    CLAIMED = "claimed"                   # another moderator holds the item
    CYCLE = "cycle"                       # the tree would loop
    DUPLICATE = "duplicate"               # the same thing exists already
    DUPLICATE_CODE = "duplicate_code"     # a unit code is taken
    DUPLICATE_OFFICIAL_CODE = "duplicate_official_code"   # an official code is taken
    HAS_CHILDREN = "has_children"         # a unit still has units under it
    LAST_SUPERUSER = "last_superuser"     # the last system administrator
    MERGE_INTO_DESCENDANT = "merge_into_descendant"   # merging into a unit below
    NOT_CLAIMED = "not_claimed"           # deciding without holding the claim
    NOT_OPEN = "not_open"                 # not open: the reporting period, the moderated item
    OFFICIAL_TYPE_MISMATCH = "official_type_mismatch"   # the official list gives another type
    OVERLAPPING_DATES = "overlapping_dates"   # a change that overlaps another
    PARENT_INACTIVE = "parent_inactive"   # the parent does not exist then
    SPLIT_INTO_DESCENDANT = "split_into_descendant"   # splitting into a unit below
    UNIT_CEASED = "unit_ceased"           # the unit has ceased
    UNKNOWN_OFFICIAL_CODE = "unknown_official_code"   # not in the national list
    # indicators: the state of a yearly report does not allow the step
    NO_SUBMISSION = "no_submission"     # nothing saved yet to attach to
    LOCKED = "locked"                   # the report is sent or approved: not editable
    BAD_STATUS = "bad_status"           # the step does not apply to the report's status
    CHILDREN_PENDING = "children_pending"  # units below are not approved yet
    PARENT_APPROVED = "parent_approved"    # the report above is approved: re-open it first
    EXISTS = "exists"                   # already recorded
    NOTHING_TO_REMIND = "nothing_to_remind"    # no unit left to remind
    WRONG_PARENT_TYPE = "wrong_parent_type"   # a unit type placed under a type it may not stand under
    SAME_DAY = "same_day"                 # an operation that would erase a change made the same day


class DomainError(Exception):
    """A request that breaks a rule of the domain. `field` names the input at fault."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = ErrorCode.INVALID):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


class ScopeError(DomainError):
    """The actor may not see or change this object."""

    status_code = 403

    def __init__(self, message: str = "Bạn không có quyền với đơn vị này.", **kwargs: Any) -> None:
        kwargs.setdefault("code", ErrorCode.FORBIDDEN)
        super().__init__(message, **kwargs)


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "Không tìm thấy.", **kwargs: Any) -> None:
        kwargs.setdefault("code", ErrorCode.NOT_FOUND)
        super().__init__(message, **kwargs)
