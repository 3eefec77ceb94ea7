"""`cyberyouth indicators compute --year YYYY [--unit CODE] [--as USER] [--json]` — the five
indicators for every unit in scope, through the same selector as the dashboard.
`cyberyouth indicators completeness --year YYYY [--unit CODE] [--json]` — who reported.
`cyberyouth indicators remind --year YYYY [--unit CODE] [--as USER]` — e-mail the focal points of
units that still owe the year's report (for a daily cron in the weeks before the deadline).
`cyberyouth indicators load [FILE]` — (re)load indicator definitions from a data file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cyberyouth.errors import DomainError
from cyberyouth.orgs.models import Unit, User


class Command(BaseCommand):
    help = "Chỉ tiêu: tính giá trị, tỷ lệ báo cáo, nạp định nghĩa."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("compute", "completeness"):
            p = sub.add_parser(name)
            p.add_argument("--year", type=int, required=True)
            p.add_argument("--unit", help="mã đơn vị (mặc định: mọi đơn vị trong phạm vi)")
            p.add_argument("--as", dest="username", help="tính trong phạm vi của người dùng này (mặc định: toàn hệ thống)")
            p.add_argument("--on", help="cây đơn vị tại ngày YYYY-MM-DD (mặc định 31/12 của năm)")
            p.add_argument("--json", action="store_true")
        p = sub.add_parser("remind")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--unit", help="mã đơn vị (mặc định: mọi đơn vị trong phạm vi)")
        p.add_argument("--as", dest="username", help="nhắc với quyền của người dùng này (mặc định: hệ thống)")
        p = sub.add_parser("load")
        p.add_argument("file", nargs="?")

    def handle(self, *args, **opts):
        from cyberyouth.indicators import selectors, services

        if opts["action"] == "load":
            path = Path(opts["file"]) if opts["file"] else Path(__file__).resolve().parents[2] / "data" / "plan-311-indicators.json"
            actor = User.objects.filter(is_superuser=True).order_by("id").first()
            try:
                loaded = services.definitions_load(actor=actor, data=json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, DomainError) as e:
                raise CommandError(str(e)) from e
            self.stdout.write(f"Đã nạp {len(loaded)} chỉ tiêu từ {path}.")
            return
        actor = self._actor(opts["username"])
        unit = None
        if opts["unit"]:
            unit = Unit.objects.filter(code=opts["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {opts['unit']!r}.")
        try:
            if opts["action"] == "remind":
                from django.conf import settings

                from cyberyouth.indicators.reminders import reminders_send

                try:
                    sent = reminders_send(actor=actor, year=opts["year"], unit=unit, base_url=settings.SITE_URL)
                except DomainError as e:
                    if e.code != "nothing_to_remind":
                        raise
                    self.stdout.write(e.message)  # a cron run with nothing to do is no failure
                    return
                self.stdout.write(f"Đã nhắc {len(sent.reminded)} đơn vị ({sent.emails} thư điện tử).")
                for name, why in sent.skipped:
                    self.stdout.write(f"  {name}: {why}")
                return
            if opts["action"] == "compute":
                from datetime import date

                on = date.fromisoformat(opts["on"]) if opts["on"] else None
                rows = selectors.compute_indicators(actor=actor, year=opts["year"], unit=unit, on=on)
                if opts["json"]:
                    self.stdout.write(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=1))
                    return
                for r in rows:
                    self.stdout.write(f"{'  ' * r.depth}{r.name} [{r.unit}] — {r.reporting_units} báo cáo đã duyệt")
                    for i in r.indicators:
                        value = "—" if i.value is None else f"{i.value:.1f}%"
                        target = i.target.label if i.target else ""
                        self.stdout.write(f"{'  ' * r.depth}  {i.number}. {value:>7} ({i.numerator:g}/{i.denominator:g})"
                                          f"  {i.status_label}  mốc {target}")
            else:
                result = selectors.completeness(actor=actor, year=opts["year"], unit=unit)
                if opts["json"]:
                    self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
                    return
                t = result.total
                self.stdout.write(f"Năm {result.year}: {t.expected} đơn vị phải báo cáo, đúng hạn {t.on_time}, "
                                  f"muộn {t.late}, chưa gửi {t.missing}, đã duyệt {t.approved}.")
                for r in result.reminders:
                    self.stdout.write(f"  cần nhắc: {r.name} [{r.unit}] — {r.status_label}")
        except DomainError as e:
            raise CommandError(e.message) from e

    def _actor(self, username: str | None):
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Không có người dùng {username!r}.")
            return user

        class System:  # the whole system, as the command line runs with the server's rights
            is_superuser = True
            is_authenticated = True
            pk = None

        return System()
