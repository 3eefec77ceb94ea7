"""Small helpers every app's views share."""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cyberyouth.errors import DomainError, NotFound, ScopeError


def form_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error next to the field it names (or on top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def raise_http(error: DomainError):
    if isinstance(error, NotFound):
        raise Http404(error.message)
    if isinstance(error, ScopeError):
        raise PermissionDenied(error.message)
    raise error


def parse_date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def parse_int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default
