from django.urls import path

from . import views

app_name = "contests"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:contest_id>/", views.contest_detail, name="contest"),
    path("vong/<int:round_id>/", views.round_detail, name="round"),
    path("vong/<int:round_id>/van-ban/<slug:kind>/", views.award_document, name="award_document"),
    path("luot/<int:attempt_id>/xem-xet/", views.review, name="review"),
    path("ngan-hang/<slug:code>/", views.bank, name="bank"),
    path("ngan-hang/<slug:code>/tai-ve/<slug:fmt>/", views.bank_export, name="bank_export"),
    path("cau-hoi/<int:question_id>/", views.question_detail, name="question"),
    path("phien-ban/<int:version_id>/duyet/", views.approve, name="approve"),
    path("cua-em/", views.mine, name="mine"),
    path("cua-em/vong/<int:round_id>/bat-dau/", views.start, name="start"),
    path("cua-em/bai/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("cua-em/bai/<int:attempt_id>/tra-loi/", views.answer, name="answer"),
    path("cua-em/bai/<int:attempt_id>/nop/", views.submit, name="submit"),
    path("cua-em/vong/<int:round_id>/ket-qua/", views.result, name="result"),
    path("cua-em/vong/<int:round_id>/giay-chung-nhan/", views.certificate, name="certificate"),
    path("xac-minh/<slug:code>/", views.verify, name="verify"),
]
