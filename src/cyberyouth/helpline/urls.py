from django.urls import path

from . import views

app_name = "helpline"
urlpatterns = [
    path("can-giup-do/", views.help_page, name="help"),
    path("ca-cua-toi/", views.child_case, name="child_case"),
    path("ca-cua-toi/thoat/", views.child_leave, name="child_leave"),
    path("", views.queue_page, name="queue"),
    path("tiep-nhan/", views.intake_page, name="intake"),
    path("thong-ke/", views.stats_page, name="stats"),
    path("cau-hinh/", views.settings_index, name="settings_index"),
    path("cau-hinh/<int:helpline_id>/", views.settings_page, name="settings"),
    path("cau-hinh/<int:helpline_id>/ca-truc/", views.shift_add, name="shift_add"),
    path("ca-truc/<int:shift_id>/xoa/", views.shift_remove, name="shift_remove"),
    path("ca/<int:case_id>/", views.case_page, name="case"),
    path("ca/<int:case_id>/<str:action>/", views.case_action, name="case_action"),
    path("ca/<int:case_id>/mau-01.docx", views.form01_docx, name="form01"),
    path("chuyen-tuyen/<int:referral_id>/cong-van.docx", views.referral_docx, name="referral_letter"),
    path("chuyen-tuyen/<int:referral_id>/phan-hoi/", views.referral_answer, name="referral_answer"),
]
