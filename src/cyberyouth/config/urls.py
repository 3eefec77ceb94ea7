from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cyberyouth.api.urls import api
from cyberyouth.web import accounts
from cyberyouth.web import views as web_views
from cyberyouth.web.registry import cyberyouth_apps

urlpatterns = [
    path("", web_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/ma-api/", web_views.api_tokens, name="api_tokens"),
    path("tai-khoan/doi-mat-khau/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/doi-mat-khau/xong/", accounts.password_change_done, name="password_change_done"),
    path("quen-mat-khau/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("tim-kiem/", web_views.search, name="search"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
# Each app that declares `url_prefix` in its AppConfig mounts its own urls.py there.
urlpatterns += [
    path(config.url_prefix, include(f"{config.name}.urls"))
    for config in cyberyouth_apps()
    if getattr(config, "url_prefix", None) is not None
]

# Error pages in Vietnamese, with the refusal's own message (web/views.py).
handler400 = "cyberyouth.web.views.error_400"
handler403 = "cyberyouth.web.views.error_403"
handler404 = "cyberyouth.web.views.error_404"
handler500 = "cyberyouth.web.views.error_500"
