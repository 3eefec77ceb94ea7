from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("khoa/<int:course_id>/", views.course, name="course"),
    path("khoa/<int:course_id>/giay-chung-nhan/", views.certificates_file, name="certificates"),
    path("buoi/<int:session_id>/", views.session, name="session"),
    path("xac-minh/", views.verify, name="verify"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/doan-vien/", views.members, name="members"),
    path("<str:code>/chi-tieu/<int:year>/", views.indicator_records, name="records"),
]
