from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cyberyouth.errors import DomainError
from cyberyouth.orgs import official
from cyberyouth.orgs.models import Unit, User
from cyberyouth.orgs.services import units_import_official


class Command(BaseCommand):
    help = ("Units from the national list: `units search TEXT`, "
            "`units import-official PROVINCE_UNIT_CODE [--from YYYY-MM-DD] --as USERNAME`.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["search", "import-official"])
        parser.add_argument("target")
        parser.add_argument("--from", dest="valid_from", default="2025-07-01")
        parser.add_argument("--as", dest="username", default="sysadmin")

    def handle(self, *args, action, target, valid_from, username, **options):
        if action == "search":
            for u in official.search_official(target):
                self.stdout.write(f"{u.code}\t{u.name}\t{u.unit_type}\t{u.province_code or ''}")
            return
        province = Unit.objects.filter(code=target).first()
        actor = User.objects.filter(username=username).first()
        if province is None or actor is None:
            raise CommandError("Không tìm thấy đơn vị hoặc người dùng.")
        try:
            created = units_import_official(actor=actor, province=province, valid_from=date.fromisoformat(valid_from))
        except (DomainError, ValueError) as e:
            raise CommandError(getattr(e, "message", str(e))) from e
        self.stdout.write(f"Đã tạo {len(created)} đơn vị dưới {province.name}.")
