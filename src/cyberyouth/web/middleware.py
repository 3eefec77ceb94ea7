from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from cyberyouth.errors import DomainError, NotFound, ScopeError


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose another language in the menu. Browsers' Accept-Language
    is ignored on purpose: many Vietnamese officials' browsers ship set to English."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language


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
