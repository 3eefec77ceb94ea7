from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.compliance_page, name="compliance"),
    path("don-vi/<slug:code>/", views.unit_page, name="unit"),
    path("lich/", views.days_page, name="days"),
    path("lich/xoa/<int:day_id>/", views.day_remove, name="day_remove"),
    path("lich.ics", views.ical_feed, name="ical"),
    path("dot/", views.campaigns_page, name="campaigns"),
    path("dot/<int:campaign_id>/", views.campaign_page, name="campaign"),
    path("bai-dang/", views.posts_page, name="posts"),
    path("bai-dang/<int:post_id>/phan-loai/", views.post_mark, name="mark"),
    path("nhac/", views.remind, name="remind"),
    path("bai-dang/nhap-excel/", views.posts_import, name="posts_import"),
]
urlpatterns += [
    path("khen-thuong/", views.commendations_page, name="commendations"),
    path("khen-thuong/so/", views.register_page, name="register"),
    path("khen-thuong/duyet/", views.commendations_approve, name="commendations_approve"),
    path("khen-thuong/<int:commendation_id>/", views.commendation_page, name="commendation"),
    path("khen-thuong/<int:commendation_id>/tra-lai/", views.commendation_return, name="commendation_return"),
    path("khen-thuong/<int:commendation_id>/nguoi-de-nghi/", views.commendation_proposer, name="commendation_proposer"),
    path("khen-thuong/<int:commendation_id>/giay-khen.docx", views.certificate_docx, name="certificate_docx"),
    path("khen-thuong/quyet-dinh/<int:decision_id>.docx", views.decision_docx, name="decision_docx"),
]
