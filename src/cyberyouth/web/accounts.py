"""Account pages: change password, reset by e-mail, forced change of a temporary password —
Django's own views with our templates; the password is written by `orgs.services.password_set`
(one transaction, audited)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy

from cyberyouth.orgs import services


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        services.password_set(actor=self.request.user, user=form.user,
                              password=form.cleaned_data["new_password1"], how="change")
        # This session goes on; every other session of the account ends (Django ties sessions
        # to the password hash).
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.")
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        services.password_set(actor=form.user, user=form.user, password=form.cleaned_data["new_password1"],
                              how="reset")
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class ForcePasswordChangeMiddleware:
    """A person signed in with a temporary password goes to the change-password page first;
    only that page, signing out and the language switch are open until they have chosen one.
    (The API, used with tokens, is not a place to change a password.)"""

    OPEN_PREFIXES = ("/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            change = reverse("password_change")
            if request.path not in (change, reverse("logout")) and not request.path.startswith(self.OPEN_PREFIXES):
                return redirect(change)
        return self.get_response(request)


def password_change_done(request):
    return redirect("home")
