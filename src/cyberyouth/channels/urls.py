from django.urls import path

from . import views

app_name = "channels"
urlpatterns = [
    path("", views.channel_list, name="list"),
    path("them/", views.channel_edit, name="create"),
    path("<int:channel_id>/", views.channel_edit, name="edit"),
]
