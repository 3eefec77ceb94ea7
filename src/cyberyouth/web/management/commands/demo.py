"""Load the demo data: every installed cyberyouth app's `demo.load`, in INSTALLED_APPS order.
Idempotent: an app whose demo data exists leaves it — and what users entered — as it is."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from cyberyouth.orgs.demo import DEMO_PASSWORD, PEOPLE, ROSTERLESS_STUDENT
from cyberyouth.orgs.models import Role, User


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Cát Hải)."

    def handle(self, *args, **options):
        system = User.objects.filter(username="sysadmin").first()
        if system is None:
            system = User.objects.create_superuser("sysadmin", "", DEMO_PASSWORD, full_name="Quản trị hệ thống")
        for config in apps.get_app_configs():
            if not config.name.startswith("cyberyouth."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            module.load(actor=system)
            self.stdout.write(f"  demo: {config.label}")
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng. Tài khoản mẫu (mật khẩu %s):" % DEMO_PASSWORD))
        self.stdout.write("  sysadmin — quản trị hệ thống (/admin/)")
        for username, _, role, unit in PEOPLE:
            self.stdout.write(f"  {username} — {role.label}, {unit}")
        username, _, unit = ROSTERLESS_STUDENT
        self.stdout.write(f"  {username} — {Role.STUDENT.label}, {unit} (chưa có trong danh sách lớp)")
        self.stdout.write("  (thuongtruc vừa quản trị đặc khu vừa là đầu mối của cơ quan thường trực)")
