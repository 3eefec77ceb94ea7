"""Monitoring's follow-up letters as official letters (Decree 30 công văn, DOCX).

The letter's words are the text recorded on the action when it was made (`Action.body`,
from monitoring's templates `monitoring/letters/*.txt`): what was sent is what was recorded.
This module only lays that text out — its title line becomes the "V/v …" subject, its
"Kính gửi:" line the addressee, "- " lines stay points — under the header of the People's
Committee of the item's area (`orgs.selectors.administrative_unit_of`), as named on the day,
with "Nơi nhận" and a signature block left for the clerk. The moderator's internal note never
reaches the letter. The hand-off to the helpline is an internal note, not a letter.
"""

from __future__ import annotations

from django.utils import timezone

from cyberyouth.monitoring.models import Action, ActionKind
from cyberyouth.orgs import selectors as org_selectors

from . import selectors
from .composer import default_signature
from .docx_layout import Header, OfficialDocument

LETTER_KINDS = (ActionKind.REMOVAL, ActionKind.REFERRAL, ActionKind.NOTIFY_SCHOOL)
# Lines of a recorded text that stay inside the system: who drafted it, and the moderator's own
# note (letters recorded before the note left the template still carry it).
INTERNAL_LINES = ("Người lập:", "Ghi chú:")


def _subject(title: str) -> str:
    """"ĐỀ NGHỊ GỠ BỎ NỘI DUNG VI PHẠM" → "Đề nghị gỡ bỏ nội dung vi phạm"."""
    lower = title.strip().lower()
    return lower[:1].upper() + lower[1:]


def parse_body(body: str) -> dict:
    """Split a recorded letter into place, title, addressee, points and paragraphs (in order)."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    place = lines[0].split(", ngày")[0].strip() if ", ngày" in lines[0] else ""
    title, addressee, parts = "", "", []
    for line in lines[1:]:  # the first line is "<place>, ngày …": the header carries the date
        text = line.strip()
        if not text or text.startswith(INTERNAL_LINES):
            continue
        if not title and text.upper() == text and any(ch.isalpha() for ch in text):
            title = text
        elif not addressee and text.startswith("Kính gửi:"):
            addressee = text.removeprefix("Kính gửi:").strip()
        elif text.startswith("- "):
            parts.append(("point", text[2:].strip()))
        else:
            parts.append(("paragraph", text))
    return {"place": place, "title": title, "addressee": addressee, "parts": parts}


def letter_docx(action: Action) -> bytes:
    if action.kind not in LETTER_KINDS:
        raise ValueError(f"{action.kind} is not a letter")
    on = timezone.localtime(action.created_at).date()
    unit = org_selectors.administrative_unit_of(unit=org_selectors.successor_on(unit=action.item.unit, on=on), on=on)
    issuer = selectors.issuer_for(unit=unit, on=on)
    content = parse_body(action.body)
    doc = OfficialDocument(
        header=Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                      number=f"Số:        /{issuer.symbol}",
                      place=content["place"] or selectors.name_on(unit, on), on=on),
        doc_type="", summary=_subject(content["title"]),
        title=f"{_subject(content['title'])} — nội dung số {action.item_id}"[:250],
    )
    doc.addressed_to([content["addressee"] or action.recipient])
    for kind, text in content["parts"]:
        if kind == "point":
            doc.item("-", text, justify=False)  # addresses and hashes do not stretch a line
        else:
            doc.paragraph(text)
    doc.closing(recipients=["Như trên", f"Lưu: VT, {issuer.symbol}"], signature=default_signature(unit))
    return doc.to_bytes()
