"""`cyberyouth reports …` — official documents from the command line (same services as the pages).

    cyberyouth reports yearly --year YYYY [--unit CODE] --out FILE.docx [--format docx|pdf|xlsx]
    cyberyouth reports review --milestone 2025|2030 [--unit CODE] --out FILE.docx [--format …]
    cyberyouth reports plan [--plan ID] --out FILE.docx [--format docx|pdf]

Without --unit the scope is the plan's issuing unit (or the unit that carries it on in that
year). --as USER reads the data in that person's scope (default: the whole system). Each run
is also kept as a new version of the document, like one made on the pages.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cyberyouth.errors import DomainError
from cyberyouth.orgs.models import Unit, User


class Command(BaseCommand):
    help = "Văn bản theo Nghị định 30: báo cáo năm, sơ kết/tổng kết, kế hoạch (DOCX/PDF/XLSX)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        yearly = sub.add_parser("yearly", help="báo cáo kết quả năm")
        yearly.add_argument("--year", type=int, required=True)
        review = sub.add_parser("review", help="báo cáo sơ kết 2025 / tổng kết 2030")
        review.add_argument("--milestone", type=int, required=True, choices=[2025, 2030])
        plan = sub.add_parser("plan", help="xuất kế hoạch")
        plan.add_argument("--plan", type=int, help="mã số kế hoạch (mặc định: kế hoạch chính)")
        for p in (yearly, review, plan):
            p.add_argument("--out", required=True, help="tệp kết quả")
            p.add_argument("--format", choices=["docx", "pdf", "xlsx"],
                           help="định dạng (mặc định: theo đuôi tệp --out, nếu không thì docx)")
            p.add_argument("--as", dest="username", help="lập trong phạm vi của người dùng này")
            p.add_argument("--date", help="ngày văn bản YYYY-MM-DD (mặc định: hôm nay)")
        for p in (yearly, review):
            p.add_argument("--unit", help="mã đơn vị phạm vi báo cáo")

    def handle(self, *args, **opts):
        from cyberyouth.plans.models import Plan
        from cyberyouth.reports import services

        out = Path(opts["out"])
        fmt = opts["format"] or (out.suffix.lstrip(".").lower() if out.suffix.lower() in {".docx", ".pdf", ".xlsx"}
                                 else "docx")
        action = opts["action"]
        if action == "plan" and fmt == "xlsx":
            raise CommandError("Kế hoạch không có phụ lục XLSX; dùng --format docx hoặc pdf.")
        actor = self._actor(opts["username"])
        unit = None
        if opts.get("unit"):
            unit = Unit.objects.filter(code=opts["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {opts['unit']!r}.")
        try:
            on = date.fromisoformat(opts["date"]) if opts["date"] else None
        except ValueError as e:
            raise CommandError("Ngày văn bản phải theo dạng YYYY-MM-DD.") from e
        plan = None
        if action == "plan" and opts.get("plan"):
            plan = Plan.objects.filter(id=opts["plan"]).first()
            if plan is None:
                raise CommandError(f"Không có kế hoạch số {opts['plan']}.")
        year = opts.get("year") if action == "yearly" else opts.get("milestone")
        try:
            document = services.document_generate_now(
                actor=actor, kind=action, year=year, unit=unit, plan=plan, on=on, want_pdf=fmt == "pdf")
        except DomainError as e:
            raise CommandError(e.message) from e
        field = {"docx": document.docx, "pdf": document.pdf, "xlsx": document.xlsx}[fmt]
        if not field:
            raise CommandError(f"Văn bản không có bản {fmt.upper()} ({document.stage}).")
        out.parent.mkdir(parents=True, exist_ok=True)
        with field.open("rb") as source:
            out.write_bytes(source.read())
        self.stdout.write(
            f"{out} — {document.get_kind_display()} {document.year}, {document.unit.name}, phiên bản {document.version}, "
            f"số liệu tính đến {timezone.localtime(document.data_as_of):%d/%m/%Y %H:%M}.")

    def _actor(self, username: str | None):
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Không có người dùng {username!r}.")
            return user
        user = User.objects.filter(is_superuser=True).order_by("id").first()
        if user is None:
            raise CommandError("Chưa có tài khoản quản trị hệ thống; dùng --as USER.")
        return user
