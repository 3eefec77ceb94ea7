from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "cyberyouth.budget"
    verbose_name = "Kinh phí thực hiện"
    url_prefix = "kinh-phi/"
    nav = [("budget:index", "Kinh phí", "budget.read")]
    nav_order = 65
    report_parts = "cyberyouth.budget.reporting:parts"
