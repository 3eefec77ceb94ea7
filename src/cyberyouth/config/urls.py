from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cyberyouth.api.urls import api
from cyberyouth.audit.views import audit_log
from cyberyouth.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/ma-api/", web_views.api_tokens, name="api_tokens"),
    path("don-vi/", include("cyberyouth.orgs.urls")),
    path("ke-hoach/", include("cyberyouth.plans.urls")),
    path("nhat-ky/", audit_log, name="audit_log"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
