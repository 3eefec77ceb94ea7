from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "cyberyouth.library"
    verbose_name = "Thư viện sản phẩm truyền thông"
    url_prefix = "thu-vien/"
    nav = [("library:manage", "Sản phẩm truyền thông", "library.read"),
           ("library:index", "Thư viện điện tử", None)]
    nav_order = 60
    report_parts = "cyberyouth.library.reporting:parts"
    search = "cyberyouth.library.selectors:search"
    student_tiles = "cyberyouth.library.tiles:student_tiles"

    def ready(self):
        # The kinds of record that may cite a product (campaigns, propaganda sessions); other
        # apps add theirs with `citations.register` in their own ready().
        from . import citations

        citations.register_defaults()
