"""`cyberyouth people export USERNAME [--out FILE]` — everything held about a person (JSON).
`cyberyouth people erase USERNAME --reason "…"` — de-identify the account (Law 91/2025/QH15).
With `--student`, the argument is a student record's number instead: a student without an account,
or a parent's request (a parent's name and contact live on their child's record).
Both run with the system's rights, as the operator answering a person's request."""

import json

from django.core.management.base import BaseCommand, CommandError

from cyberyouth.errors import DomainError
from cyberyouth.orgs import privacy
from cyberyouth.orgs.models import User


class System:  # the operator at the server's console
    is_superuser = True
    is_authenticated = True
    pk = None

    def __str__(self) -> str:
        return "hệ thống"


class Command(BaseCommand):
    help = "Dữ liệu cá nhân của một người: xuất, hoặc xóa (khử định danh)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("export")
        p.add_argument("username")
        p.add_argument("--out", help="tệp JSON (mặc định: in ra màn hình)")
        p.add_argument("--student", action="store_true", help="USERNAME là số hồ sơ học sinh (học sinh, cha mẹ)")
        p = sub.add_parser("erase")
        p.add_argument("username")
        p.add_argument("--reason", required=True)
        p.add_argument("--student", action="store_true", help="USERNAME là số hồ sơ học sinh (học sinh, cha mẹ)")

    def handle(self, *args, **opts):
        if opts["student"]:
            return self._student(opts)
        person = User.objects.filter(username=opts["username"]).first()
        if person is None:
            raise CommandError(f"Không có người dùng “{opts['username']}”.")
        try:
            if opts["action"] == "export":
                text = json.dumps(privacy.person_export(actor=System(), person=person), ensure_ascii=False, indent=1)
                if opts["out"]:
                    with open(opts["out"], "w", encoding="utf-8") as fh:
                        fh.write(text)
                    self.stdout.write(f"Đã ghi {opts['out']}.")
                else:
                    self.stdout.write(text)
            else:
                erased = privacy.person_erase(actor=System(), person=person, reason=opts["reason"],
                                              confirm=person.username)
                self.stdout.write(f"Đã xóa dữ liệu cá nhân; tài khoản nay là {erased.username}.")
        except DomainError as e:
            raise CommandError(e.message) from e

    def _student(self, opts):
        from cyberyouth.students import privacy as student_privacy
        from cyberyouth.students.models import Student
        from cyberyouth.students.services import student_deidentify

        student = Student.objects.filter(id=int(opts["username"]) if opts["username"].isdigit() else 0).first()
        if student is None:
            raise CommandError(f"Không có hồ sơ học sinh số “{opts['username']}”.")
        if opts["action"] == "export":
            text = json.dumps(student_privacy.student_data(student), ensure_ascii=False, indent=1)
            if opts["out"]:
                with open(opts["out"], "w", encoding="utf-8") as fh:
                    fh.write(text)
                self.stdout.write(f"Đã ghi {opts['out']}.")
            else:
                self.stdout.write(text)
        elif student.user_id:
            privacy.person_erase(actor=System(), person=student.user, reason=opts["reason"],
                                 confirm=student.user.username)
            self.stdout.write("Đã xóa dữ liệu cá nhân của học sinh và cha mẹ; tài khoản bị khóa.")
        else:
            student_deidentify(student_id=student.id, reason="erase")
            self.stdout.write("Đã xóa dữ liệu cá nhân của học sinh và cha mẹ.")
