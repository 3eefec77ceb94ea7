from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("", views.index, name="index"),
    path("mau-excel/", views.xlsx_template, name="template"),
    path("<str:code>/<int:year>/", views.unit_page, name="unit"),
]
