"""What every app's pages share: a form's POST through one service call, a button's POST, query parameters read safely."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError


def form_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error next to the field it names (or on top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def submit_form(
    request: HttpRequest,
    form: forms.Form,
    service: Callable[[dict], Any],
    *,
    success: str | Callable[[Any], str],
    then: str | Callable[[Any], str],
) -> HttpResponse | None:
    """The POST half of a form view: valid form → one service call → message → redirect.

    `service` gets the form's cleaned data; `success` (the message) and `then` (a URL or
    URL name) may be functions of what the service returned. A ScopeError or NotFound
    answers 403/404, as it would for a GET; any other DomainError is shown next to the
    field it names. None means "render the form again" (not a POST, invalid, refused).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = service(form.cleaned_data)
    except (ScopeError, NotFound):
        raise
    except DomainError as error:
        form_error(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)


def submit_action(request: HttpRequest, service: Callable[[], Any], *, success: str, then: str) -> HttpResponse:
    """The POST of a button with no form (claim, release): one service call, then back to `then`
    with its message — or with the service's refusal as an error message. A ScopeError or
    NotFound answers 403/404."""
    try:
        service()
    except (ScopeError, NotFound):
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(then)


def parse_date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


INT_MAX = 2**31 - 1  # the largest id or count any database here stores in an integer column
YEAR_MIN, YEAR_MAX = 2000, 2100


def parse_int(value: str | None, default: int | None = None, *, lo: int = 0, hi: int = INT_MAX,
              name: str = "") -> int | None:
    """An integer query parameter: `default` when absent or not a number; a number outside
    [lo, hi] is refused (400 with a Vietnamese message), never passed on to crash a query."""
    if value in (None, ""):
        return default
    try:
        number = int(value) if len(value) <= 40 else None
    except ValueError:
        return default
    if number is None or not lo <= number <= hi:
        raise DomainError(f"Giá trị “{name or 'số'}” phải từ {lo} đến {hi}.", field=name or None,
                          code=ErrorCode.OUT_OF_RANGE)
    return number


def parse_year(value: str | None, default: int | None = None) -> int | None:
    """The `nam` (year) parameter of a page: 2000–2100."""
    return parse_int(value, default, lo=YEAR_MIN, hi=YEAR_MAX, name="năm")
