from django.core.management.base import BaseCommand, CommandError

from cyberyouth.orgs.models import User
from cyberyouth.orgs.services import token_create


class Command(BaseCommand):
    help = "API tokens: `token create USERNAME [--name N] [--days D]` prints a new bearer token."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create"])
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{options['username']}”.")
        self.stdout.write(token_create(user=user, name=options["name"], days=options["days"] or None))
