"""`cyberyouth dialogues_remind`: send now what the worker's housekeeping sends hourly — reminders
of commitments due or late, and (from DIALOGUES_REMIND_FROM_MONTH) to schools that have not yet
held both an in-person and an online dialogue this year (once a month each)."""

from django.core.management.base import BaseCommand

from cyberyouth.dialogues import services


class Command(BaseCommand):
    help = "Nhắc cam kết sau đối thoại đến hạn, quá hạn và các trường chưa tổ chức đủ đối thoại trong năm."

    def handle(self, *args, **options):
        commitments = services.remind_commitments()
        schools = services.remind_schools()
        self.stdout.write(f"Đã nhắc {commitments} cam kết và {len(schools)} trường.")
