from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.lib.text import has_control


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose another language in the menu. Browsers' Accept-Language
    is ignored on purpose: many Vietnamese officials' browsers ship set to English."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language


class SecureCookiesMiddleware:
    """Every cookie set on a response to an HTTPS request is `Secure` (and the session and CSRF
    cookies are always HttpOnly/SameSite as configured): served over HTTPS, no cookie can leak
    over plain HTTP, whatever SECURE_COOKIES says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


class DomainErrorMiddleware:
    """A service's refusal that a page did not handle becomes its error page — 404, 403, or 400
    with the refusal's Vietnamese message — never a server error. The API answers its own way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from cyberyouth.web import views  # the pages (and their imports) load after the apps

        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        if isinstance(exception, NotFound):
            return views.error_404(request, exception)
        if isinstance(exception, ScopeError):
            return views.error_403(request, exception)
        return views.error_400(request, exception)


# The longest text any field takes (a monitored item's text, monitoring.services.MAX_TEXT); each
# form and API schema has its own, shorter limit where the field is shorter.
MAX_FIELD_CHARS = 20_000
LONG_MESSAGE = f"Một trường dữ liệu quá dài (tối đa {MAX_FIELD_CHARS:,} ký tự).".replace(",", ".")
# An integer beyond 64 bits reaches no query: SQLite answers "datatype mismatch", PostgreSQL
# overflows. Every digits-only parameter or path segment longer than this is refused.
MAX_DIGITS = 18
NUMBER_MESSAGE = "Số quá lớn."
CONTROL_MESSAGE = "Dữ liệu gửi lên có ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy gõ lại nội dung."
MAX_JSON_BODY = 5 * 1024 * 1024


def _huge_number(text: str) -> bool:
    digits = text.strip().lstrip("+-")
    return len(digits) > MAX_DIGITS and digits.isdigit()


def _bad(text: str) -> str | None:
    """Why a piece of input is refused at the boundary, or None."""
    if has_control(text):
        return CONTROL_MESSAGE
    if len(text) > MAX_FIELD_CHARS:
        return LONG_MESSAGE
    return None


def _walk(value, path: str) -> tuple[str, str] | None:
    """The path of the first string in a decoded JSON value that holds a control character
    ("body" for the top level), or None."""
    if isinstance(value, str):
        why = _bad(value)
        return (path or "body", why) if why else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if _bad(str(key)):
                return here, _bad(str(key))
            found = _walk(item, here)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _walk(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


class InputBoundaryMiddleware:
    """The one input boundary: a request whose path, parameters, form fields or JSON body hold a
    control character (NUL and the like) is refused before any view sees it — 400 page for
    pages, 422 JSON for the API — on every database alike (PostgreSQL cannot store NUL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = self._offending(request)
        if found is not None:
            field, why = found
            code = {CONTROL_MESSAGE: ErrorCode.CONTROL_CHARACTER, NUMBER_MESSAGE: ErrorCode.OUT_OF_RANGE}.get(
                why, ErrorCode.TOO_LONG)
            error = DomainError(why, field=field, code=code)
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": [error.as_dict()]}, status=400 if why == NUMBER_MESSAGE else 422)
            from cyberyouth.web import views

            return views.error_400(request, error)
        return self.get_response(request)

    @staticmethod
    def _offending(request) -> tuple[str, str] | None:
        """(field, why) of the first piece of input refused, or None."""
        if has_control(request.path):
            return "path", CONTROL_MESSAGE
        for segment in request.path.split("/"):
            if _huge_number(segment):
                return "path", NUMBER_MESSAGE
        for name, values in request.GET.lists():
            if any(_huge_number(v) for v in values):
                return name, NUMBER_MESSAGE

        def first(pairs):
            for name, values in pairs:
                for text in (name, *values):
                    why = _bad(text)
                    if why:
                        return name, why
            return None

        found = first(request.GET.lists())
        if found is not None or request.method not in {"POST", "PUT", "PATCH"}:
            return found
        content_type = request.content_type or ""
        if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            return first(request.POST.lists()) or first((u.field_name or "file", [u.name or ""]) for u in request.FILES.values())
        if content_type == "application/json" and len(request.body) <= MAX_JSON_BODY:
            import json

            try:
                decoded = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                return None  # the API answers malformed JSON itself
            return _walk(decoded, "")
        return None
