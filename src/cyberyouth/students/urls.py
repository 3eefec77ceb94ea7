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
    path("hs/<int:student_id>/roi-truong/", views.student_leave, name="leave"),
    path("hs/<int:student_id>/chuyen-truong/", views.student_transfer, name="transfer"),
    path("hs/<int:student_id>/vi-pham/", views.student_violation, name="violation"),
    path("truong/<slug:code>/tuyen-truyen/", views.school_session, name="session"),
    path("truong/<slug:code>/len-lop/", views.school_promote, name="promote"),
    path("truong/<slug:code>/mo-lop/", views.class_open, name="class_open"),
    path("lop/<int:class_id>/giao-vien-chu-nhiem/", views.class_teacher, name="class_teacher"),
    path("nam-hoc/", views.school_years, name="school_years"),
    path("nhap-danh-sach/", views.roster_import, name="import"),
    path("nhap-danh-sach/mau.xlsx", views.roster_template, name="template"),
    path("lop/<int:class_id>/thu-dong-y/", views.class_consent_letters, name="consent_letters"),
    path("lop/<int:class_id>/ma-dang-nhap/", views.class_login_cards, name="login_cards"),
    # Public: a parent's consent with the letter's code; a student's first sign-in with the printed code.
    path("dong-y/", views.consent_online, name="consent_online"),
    path("ma/", views.first_login, name="first_login"),
    # The student's own pages (phone-first).
    path("cua-em/", views.student_home, name="home"),
    path("cua-em/quy-tac-ung-xu/", views.code_of_conduct, name="code_of_conduct"),
]
