from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("xoa/<int:day_id>/", views.day_remove, name="remove"),
]
