"""How the helpline tells people (alerts, warnings, escalations): ONE function, `send`.

Until the project's notification mechanism lands, it is e-mail through Django's mail, after the
transaction commits (like `indicators.reminders`); switching means changing this function only.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

log = logging.getLogger(__name__)


def send(*, recipients, subject: str, body: str) -> int:
    """E-mail `subject`/`body` to each person (User objects or addresses) that has an address.
    Returns how many messages will go. The words must not carry the child's message: an
    e-mail leaves the system; the case is read on its page."""
    addresses = sorted({(r if isinstance(r, str) else (r.email or "")) for r in recipients} - {""})
    if not addresses:
        return 0
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses]

    def deliver():
        try:
            get_connection().send_messages(messages)
        except Exception:  # noqa: BLE001 — a mail server that is down never undoes the case
            log.exception("helpline e-mails not delivered (%d messages)", len(messages))

    transaction.on_commit(deliver)
    return len(messages)
