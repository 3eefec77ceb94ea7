from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("khoa/<int:course_id>/", views.course, name="course"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/doan-vien/", views.members, name="members"),
]
