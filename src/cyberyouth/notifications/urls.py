from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:notification_id>/mo/", views.open_notification, name="open"),
    path("doc-het/", views.read_all, name="read_all"),
]
