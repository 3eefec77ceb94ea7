from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("noi-dung/<int:item_id>/", views.item_detail, name="item"),
    path("noi-dung/<int:item_id>/chung-cu.zip", views.evidence_download, name="evidence"),
    path("van-ban/<int:action_id>/", views.action_letter, name="letter"),
    path("kenh/", views.channels, name="channels"),
    path("kenh/<int:channel_id>/theo-doi/", views.source_toggle, name="source_toggle"),
    path("nhap/", views.import_items, name="import"),
    path("nhap/<int:job_id>/", views.import_job, name="import_job"),
    path("thong-ke/", views.stats, name="stats"),
    path("nhom-noi-dung/", views.categories, name="categories"),
    path("to-giac/", views.report, name="report"),
    path("to-giac/tra-cuu/", views.report_status, name="report_status"),
    path("to-giac/sang-loc/", views.held_reports, name="held"),
    path("khoa-ky/", views.signing_keys, name="signing_keys"),
]
