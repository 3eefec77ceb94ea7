from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/ma-tran/", views.plan_matrix, name="matrix"),
    path("<int:plan_id>/ke-hoach-chi-tiet/", views.child_plan_create, name="child_create"),
    path("nhiem-vu-cua-toi/", views.my_tasks, name="my_tasks"),
    path("phan-cong/<int:assignment_id>/<int:year>/", views.progress_edit, name="progress"),
    path("minh-chung/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
