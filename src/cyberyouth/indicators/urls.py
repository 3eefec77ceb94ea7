from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("du-lieu/<slug:code>/<int:year>/<slug:indicator>/", views.breakdown, name="breakdown"),
    path("bao-cao/", views.my_reports, name="my_reports"),
    path("bao-cao/<slug:code>/<int:year>/", views.submission_edit, name="submission"),
    path("minh-chung/<int:file_id>/", views.evidence_file, name="evidence_file"),
    path("minh-chung/<int:file_id>/go-thay/", views.evidence_file_change, name="evidence_file_change"),
    path("tien-do-bao-cao/", views.completeness_view, name="completeness"),
    path("ky-bao-cao/", views.periods, name="periods"),
    path("excel/", views.excel, name="excel"),
    path("xuat-csv/", views.export_csv, name="export_csv"),
]
