from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.index, name="index"),
    path("quan-ly/", views.manage, name="manage"),
    path("dan/", views.cite, name="cite"),
    path("dan/<int:citation_id>/go/", views.uncite, name="uncite"),
    path("<int:product_id>/", views.product, name="product"),
    path("<int:product_id>/sua/", views.edit, name="edit"),
    path("<int:product_id>/tep/", views.product_file, name="file"),
    path("<int:product_id>/tai-ve/", views.download, name="download"),
    path("<int:product_id>/mo/", views.open_link, name="open_link"),
]
