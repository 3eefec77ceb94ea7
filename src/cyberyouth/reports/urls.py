from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("tao/", views.generate, name="generate"),
    path("noi-dung/", views.note_edit, name="note"),
    path("cong-van/giam-sat/<int:action_id>/", views.monitoring_letter, name="monitoring_letter"),
    path("<int:document_id>/", views.document, name="document"),
    path("<int:document_id>/tai/<str:fmt>/", views.download, name="download"),
]
