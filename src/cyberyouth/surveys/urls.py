from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("tao/", views.survey_create, name="create"),
    path("phieu/", views.by_code, name="by_code"),
    path("<int:survey_id>/soan/", views.survey_edit, name="edit"),
    path("<int:survey_id>/cau-hoi/<int:question_id>/xoa/", views.question_remove, name="question_remove"),
    path("<int:survey_id>/phat-hanh/", views.survey_launch, name="launch"),
    path("<int:survey_id>/dong/", views.survey_close, name="close"),
    path("<int:survey_id>/ma-phieu/", views.survey_links, name="links"),
    path("<int:survey_id>/ket-qua/", views.survey_results, name="results"),
    path("<int:survey_id>/ket-qua.xlsx", views.survey_export, name="export"),
    path("<int:survey_id>/tra-loi/", views.survey_answer, name="answer"),
]
