import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cyberyouth.config.settings")
application = get_wsgi_application()

# The contest page's answers skip the page stack (see the module); every other request is Django's.
from cyberyouth.contests.answer_path import with_answer_path  # noqa: E402 — needs Django set up

application = with_answer_path(application)
