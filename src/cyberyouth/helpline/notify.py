"""How the helpline tells people (alerts, warnings, escalations): the project's one mechanism,
`notifications.services.notify` (bell + e-mail after commit), with the case page as the link.

The words never carry the child's message: a notice or an e-mail leaves the case; the case is
read on its page, where every opening is logged.
"""

from cyberyouth.notifications.services import notify


def send(*, recipients, kind: str, title: str, body: str, case) -> int:
    """Tell the people among `recipients` (users) in the bell and by e-mail, and mail the plain
    addresses among them (a helpline's shared inbox). Returns how many people or mailboxes."""
    people = [r for r in recipients if r is not None and not isinstance(r, str)]
    addresses = [r for r in recipients if isinstance(r, str) and r.strip()]
    created = notify(recipients=people, kind=kind, title=title, body=body, link=f"/tong-dai/ca/{case.pk}/",
                     unit=case.unit, addresses=addresses)
    return len(created) + len(set(addresses))
