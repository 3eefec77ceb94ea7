import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Tổng đài: `tick` — cảnh báo, báo quá hạn thời hạn của các ca; xóa định danh ca đã đóng quá hạn lưu."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["tick"])

    def handle(self, *args, action, **options):
        from cyberyouth.helpline.worker import tick

        self.stdout.write(json.dumps(tick(), ensure_ascii=False))
