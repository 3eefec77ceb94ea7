"""Writes of notifications: THE way every app tells people something (see docs/notifications.md).

`notify` is called inside the caller's transaction: the rows are written with it (and vanish
with it if it is refused); the e-mails leave only after it commits, so a refused action sends
nothing and a mail server that is down loses no notification (it stays in the bell, and the
failure is logged).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cyberyouth.errors import NotFound
from cyberyouth.lib.text import nfc

from .models import Kind, Notification

log = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Chương trình 311]"


def _absolute(link: str, base_url: str) -> str:
    base = (base_url or settings.SITE_URL or "").rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


@transaction.atomic
def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", link: str = "", unit=None,
           email: bool = True, email_subject: str = "", email_body: str = "", base_url: str = "",
           exclude=None, addresses: Iterable[str] = ()) -> list[Notification]:
    """Tell each of `recipients` (users; duplicates and inactive accounts dropped; `exclude`,
    usually the actor, left out) something: one in-app notification each and, with `email`
    and an address, one e-mail after the transaction commits. `email_subject` / `email_body`
    replace the title / the standard letter when the e-mail needs its own words. `link` is a
    path on this site; `base_url` (or SITE_URL) makes it absolute in e-mails. `addresses` are
    mailboxes that are not accounts (a helpline's shared inbox): they get the e-mail only."""
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    seen, people = set(), []
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        if exclude is not None and person.pk == getattr(exclude, "pk", None):
            continue
        seen.add(person.pk)
        people.append(person)
    title, body = nfc(title)[:300], nfc(body)
    created, messages = [], []
    now = timezone.now()
    for person in people:
        address = person.email if email else ""
        created.append(Notification.objects.create(
            recipient=person, kind=kind, title=title, body=body, link=link[:500], unit=unit, created_at=now,
            emailed_to=address or ""))
        if address:
            text = email_body or render_to_string("notifications/email/notification.txt", {
                "person": person, "title": title, "body": body, "link": _absolute(link, base_url)})
            messages.append(EmailMessage(f"{SUBJECT_PREFIX} {email_subject or title}", text,
                                         settings.DEFAULT_FROM_EMAIL, [address]))
    personal = {m.to[0] for m in messages}
    for address in sorted({a.strip() for a in addresses if a and a.strip()} - personal):
        text = email_body or render_to_string("notifications/email/notification.txt", {
            "person": None, "title": title, "body": body, "link": _absolute(link, base_url)})
        messages.append(EmailMessage(f"{SUBJECT_PREFIX} {email_subject or title}", text,
                                     settings.DEFAULT_FROM_EMAIL, [address]))
    if messages:
        transaction.on_commit(lambda: _deliver(messages))
    return created


def _deliver(messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except Exception:  # noqa: BLE001 — any transport error is logged, never raised at the user
        log.exception("notification e-mails not delivered (%d messages)", len(messages))


@transaction.atomic
def mark_read(*, actor, notification_id: int) -> Notification:
    """Mark one of `actor`'s own notifications read (someone else's: not found)."""
    notification = Notification.objects.select_for_update().filter(id=notification_id, recipient=actor).first()
    if notification is None or not getattr(actor, "is_authenticated", False):
        raise NotFound("Không tìm thấy thông báo.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
