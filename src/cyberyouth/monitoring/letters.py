"""Follow-up letters as official documents (Decree 30 công văn, DOCX).

The letter's words are the text recorded on the action when it was made (`Action.body`,
from the templates in `templates/monitoring/letters/`): what was sent is what was recorded.
This module only lays that text out — its title line becomes the "V/v …" subject, its
"Kính gửi:" line the addressee, "- " lines stay points — under the header of the unit the
item belongs to — its People's Committee: the nearest administrative unit at or above the
channel's owner, as named on the day — with "Nơi nhận" and a signature block left for the
clerk to complete. The hand-off to the helpline is an internal note, not a letter.
"""

from __future__ import annotations

from django.utils import timezone

from cyberyouth.orgs.models import ADMINISTRATIVE_TYPES

from .models import Action, ActionKind

LETTER_KINDS = (ActionKind.REMOVAL, ActionKind.REFERRAL, ActionKind.NOTIFY_SCHOOL)


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
        if not text or text.startswith("Người lập:"):
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


def area_name(unit, on) -> str:
    """How a letter names the area an item belongs to ("đặc khu Cát Hải")."""
    from cyberyouth.reports import selectors as report_selectors

    name = report_selectors.name_on(_authority(unit, on), on)
    return name[:1].lower() + name[1:]  # mid-sentence: "trên địa bàn đặc khu Cát Hải"


def _authority(unit, on):
    """The administrative unit (its People's Committee issues the letter) at or above `unit`."""
    from cyberyouth.reports import selectors as report_selectors

    current = report_selectors.successor_on(unit=unit, on=on)
    while current.unit_type not in ADMINISTRATIVE_TYPES:
        parent = report_selectors.parent_on(current, on)
        if parent is None:
            break
        current = parent
    return current


def letter_docx(action: Action) -> bytes:
    from cyberyouth.reports import selectors as report_selectors
    from cyberyouth.reports.composer import default_signature
    from cyberyouth.reports.docx_layout import Header, OfficialDocument

    if action.kind not in LETTER_KINDS:
        raise ValueError(f"{action.kind} is not a letter")
    on = timezone.localtime(action.created_at).date()
    unit = _authority(action.item.unit, on)
    issuer = report_selectors.issuer_for(unit=unit, on=on)
    content = parse_body(action.body)
    doc = OfficialDocument(
        header=Header(parent_body=issuer.parent_body, issuing_body=issuer.issuing_body,
                      number=f"Số:        /{issuer.symbol}",
                      place=content["place"] or report_selectors.name_on(unit, on), on=on),
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
