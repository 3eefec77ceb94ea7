from django.urls import path

from . import views

app_name = "students"
urlpatterns = [
    path("", views.class_list, name="classes"),
    path("lop/<int:class_id>/", views.class_detail, name="class"),
    path("lop/<int:class_id>/cam-ket/", views.class_register, name="register"),
    path("lop/<int:class_id>/tiet-hoc/", views.class_lesson, name="lesson"),
    path("hs/<int:student_id>/", views.student_detail, name="student"),
    path("hs/<int:student_id>/dong-y/", views.student_consent, name="consent"),
    path("hs/<int:student_id>/rut-lai/", views.student_withdraw, name="withdraw"),
    path("nhap-danh-sach/", views.roster_import, name="import"),
    path("nhap-danh-sach/mau.xlsx", views.roster_template, name="template"),
]
