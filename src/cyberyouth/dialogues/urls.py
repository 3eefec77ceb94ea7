from django.urls import path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("", views.list_page, name="list"),
    path("moi/", views.create_page, name="create"),
    path("thuc-hien/", views.compliance_page, name="compliance"),
    path("nhac/", views.remind, name="remind"),
    path("<int:dialogue_id>/", views.detail_page, name="detail"),
    path("<int:dialogue_id>/sua/", views.edit_page, name="edit"),
    path("<int:dialogue_id>/trang-thai/", views.move, name="move"),
    path("<int:dialogue_id>/dieu-hanh/", views.host_page, name="host"),
    path("<int:dialogue_id>/dieu-hanh.json", views.host_json, name="host_json"),
    path("<int:dialogue_id>/bien-ban/", views.minutes_page, name="minutes"),
    path("<int:dialogue_id>/bien-ban.docx", views.minutes_docx, name="minutes_docx"),
    path("<int:dialogue_id>/cam-ket/", views.commitment_add, name="commit"),
    path("cam-ket/<int:commitment_id>/xong/", views.commitment_done, name="commit_done"),
    path("cau-hoi/<uuid:question_id>/duyet/", views.question_review, name="review"),
    path("cau-hoi/<uuid:question_id>/tra-loi/", views.question_mark, name="mark"),
    # the student's pages
    path("cua-em/", views.student_list, name="student_list"),
    path("cua-em/<int:dialogue_id>/", views.student_dialogue, name="student_dialogue"),
    path("cua-em/cau-hoi/<uuid:question_id>/binh-chon/", views.student_vote, name="vote"),
]
