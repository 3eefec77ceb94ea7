from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("nguoi/<str:username>/du-lieu-ca-nhan/", views.person_data, name="person_data"),
    path("<slug:code>/", views.unit_detail, name="unit"),
    path("<slug:code>/sap-xep/", views.unit_reorganise, name="reorganise"),
    path("<slug:code>/them/", views.unit_create, name="create"),
    path("<slug:code>/nguoi-dung/", views.unit_people, name="people"),
]
