"""`cyberyouth monitoring …` — the operator's side of content monitoring.

    poll [--loop] [--interval S] [--channel ID]     fetch due feeds / platform APIs now
    export-evidence ITEM_ID… --out PACKAGE.zip      evidence package (items, attachments, manifest, decisions)
    verify PACKAGE.zip [--public-key KEY|FINGERPRINT|FILE.pem]   exit 0 only if nothing was altered
    signing-key show|rotate                         the Ed25519 key that signs packages (public part)
    export-decisions --out FILE.csv [--since DATE] [--until DATE] [--scheme toxicity|category]
                                                    moderators' decisions as labelled data
    expire-contacts                                 clear public reporters' contacts past REPORTER_CONTACT_DAYS
"""

import csv
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cyberyouth.errors import DomainError


class Command(BaseCommand):
    help = "Giám sát nội dung: lấy tin, xuất và kiểm tra gói chứng cứ, xuất dữ liệu quyết định."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        poll = sub.add_parser("poll", help="Lấy tin các kênh đến hạn.")
        poll.add_argument("--loop", action="store_true", help="Chạy mãi (như trong worker).")
        poll.add_argument("--interval", type=float, default=30.0)
        poll.add_argument("--channel", type=int, help="Lấy ngay một kênh (bỏ qua lịch).")
        export = sub.add_parser("export-evidence", help="Xuất gói chứng cứ.")
        export.add_argument("item_ids", nargs="+", type=int)
        export.add_argument("--out", required=True)
        export.add_argument("--user", default="", help="Người xuất (ghi vào nhật ký, kiểm tra phạm vi).")
        verify = sub.add_parser("verify", help="Kiểm tra gói chứng cứ.")
        verify.add_argument("package")
        verify.add_argument("--public-key", action="append", default=None,
                            help="khóa công khai hoặc dấu vân tay phải khớp (mặc định: các khóa hệ thống đã công bố)")
        key = sub.add_parser("signing-key", help="Khóa ký gói chứng cứ: xem phần công khai, đổi khóa.")
        key.add_argument("what", choices=("show", "rotate"))
        decisions = sub.add_parser("export-decisions", help="Xuất quyết định làm dữ liệu có nhãn.")
        decisions.add_argument("--out", required=True)
        decisions.add_argument("--since", type=date.fromisoformat, help="quyết định từ ngày này (YYYY-MM-DD)")
        decisions.add_argument("--until", type=date.fromisoformat, help="quyết định trước ngày này (YYYY-MM-DD)")
        decisions.add_argument("--scheme", choices=("toxicity", "category"), default="toxicity",
                               help="toxicity: text,label (CLEAN/OFFENSIVE/HATE) cho `cyberyouth safety train`; "
                                    "category: text,labels,partial cho `cyberyouth safety train-categories`")
        sub.add_parser("expire-contacts", help="Xóa họ tên, liên hệ của người tố giác đã quá thời hạn lưu.")

    def _expire_contacts(self, options):
        from django.conf import settings

        from ...services import reporter_contacts_expire

        cleared = reporter_contacts_expire()
        self.stdout.write(f"Đã xóa thông tin liên hệ của {cleared} tố giác cũ hơn {settings.REPORTER_CONTACT_DAYS} ngày.")

    def handle(self, *args, **options):
        return getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _poll(self, options):
        from cyberyouth.channels.models import Channel

        from ...services import channel_poll
        from ...worker import poll_forever, poll_once

        if options["channel"]:
            channel = Channel.objects.filter(pk=options["channel"]).first()
            if channel is None:
                raise CommandError("Không tìm thấy kênh.")
            self._report([channel_poll(channel=channel)])
            return
        if options["loop"]:
            poll_forever(interval=options["interval"], log=self.stdout.write)
            return
        self._report(poll_once())

    def _report(self, results):
        for r in results:
            if r["ok"]:
                self.stdout.write(f"kênh {r['channel']}: {r['fetched']} mục, {r['created']} mới")
            else:
                self.stdout.write(f"kênh {r['channel']}: LỖI {r['error']}")
        if not results:
            self.stdout.write("Không có kênh nào đến hạn.")

    def _export_evidence(self, options):
        from cyberyouth.orgs.models import User

        from ...evidence import build_package
        from ...selectors import items_for_export

        actor = None
        try:
            if options["user"]:
                actor = User.objects.filter(username=options["user"]).first()
                if actor is None:
                    raise CommandError("Không tìm thấy người dùng.")
                items = items_for_export(actor=actor, item_ids=options["item_ids"])
                data = build_package(item_ids=options["item_ids"], actor=actor, items=items)
            else:  # the operator at the console acts for the installation
                data = build_package(item_ids=options["item_ids"], actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"Đã ghi {options['out']} ({len(data):,} byte, {len(options['item_ids'])} nội dung).")

    def _verify(self, options):
        from ...evidence import verify_package

        path = Path(options["package"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        keys = [Path(k).read_text(encoding="utf-8") if Path(k).is_file() else k for k in options["public_key"] or []]
        problems = verify_package(path.read_bytes(), public_keys=keys or None)
        if problems:
            for p in problems:
                self.stderr.write(f"SAI: {p}")
            self.stderr.write("Gói chứng cứ KHÔNG toàn vẹn.")
            sys.exit(1)
        self.stdout.write("Gói chứng cứ toàn vẹn: mọi tệp khớp mã băm, chữ ký hợp lệ.")

    def _signing_key(self, options):
        from ... import signing

        if options["what"] == "rotate":
            entry = signing.rotate()
            self.stdout.write("Đã tạo khóa ký mới; khóa cũ thôi ký nhưng vẫn được công bố để kiểm tra các gói cũ.")
        else:
            entry = signing.current()[1]
        self.stdout.write(f"Dấu vân tay: {entry['fingerprint']}\nKhóa công khai (base64): {entry['public_key']}")
        for old in signing.published():
            if old["retired_at"]:
                self.stdout.write(f"Khóa cũ {old['fingerprint']} (thôi ký từ {old['retired_at']})")

    def _export_decisions(self, options):
        from ...selectors import DECISION_COLUMNS, labelled_decisions

        rows = labelled_decisions(since=options["since"], until=options["until"], scheme=options["scheme"])
        with open(options["out"], "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(DECISION_COLUMNS[options["scheme"]])
            writer.writerows(rows)
        self.stdout.write(f"Đã ghi {len(rows)} dòng vào {options['out']}.")
