from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:team_id>/", views.team, name="team"),
    path("<int:team_id>/dien-dan/", views.forum, name="forum"),
    path("chu-de/<int:thread_id>/", views.thread, name="thread"),
    path("cua-em/", views.my_teams, name="mine"),
    path("cua-em/<int:team_id>/", views.my_forum, name="my_forum"),
    path("cua-em/chu-de/<int:thread_id>/", views.my_thread, name="my_thread"),
]
