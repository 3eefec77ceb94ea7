"""Official documents speak Vietnamese: no internal code of any choice list (nor an indicator
status, nor an engine label), no command name, no unexplained abbreviation, "Chương trình"
(not "Đề án"), and never a moderator's internal note — in every DOCX and XLSX the system makes."""

import io
import re

import pytest
from django.apps import apps
from docx import Document
from openpyxl import load_workbook

from cyberyouth.indicators.selectors import STATUS_LABELS
from cyberyouth.monitoring import selectors as monitoring_selectors
from cyberyouth.monitoring import services as monitoring_services
from cyberyouth.monitoring.models import Outcome
from cyberyouth.reports import letters, services

pytestmark = pytest.mark.django_db
# Names of platforms are proper names in a letter ("Kênh: Facebook …"), not codes.
PROPER_NAMES = {"facebook", "youtube", "tiktok", "website"}
ABBREVIATIONS = ("MXH", "KGM", "TNVN", "LLCT", "HSSV")


def internal_codes() -> set[str]:
    codes = {"CLEAN", "OFFENSIVE", "HATE"} | set(STATUS_LABELS)
    for model in apps.get_models():
        if not model.__module__.startswith("cyberyouth"):
            continue
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "choices", None) or ():
                if isinstance(value, str) and len(value) > 1:
                    codes.add(value)
    return codes - PROPER_NAMES


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None)


def problems(text: str, codes: set[str]) -> list[str]:
    plain = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    found = sorted({w for w in re.findall(r"\w+", plain) if w in codes})
    found += [a for a in ABBREVIATIONS if re.search(rf"\b{a}\b", plain)]
    found += [w for w in ("cyberyouth", "Đề án") if w in plain]
    return found


@pytest.fixture
def every_document(people, units):
    admin = people["thuongtruc"]
    out = {}
    for name, kwargs in (("plan", {"kind": "plan"}),
                         ("yearly-zone", {"kind": "yearly", "year": 2025}),
                         ("yearly-school", {"kind": "yearly", "year": 2025, "unit": units["gdnn-gdtx-cat-hai"]}),
                         ("review-2025", {"kind": "review", "year": 2025})):
        d = services.document_generate_now(actor=admin, want_pdf=False, **kwargs)
        out[f"{name}.docx"] = docx_text(d.docx.open("rb").read())
        if d.xlsx:
            out[f"{name}.xlsx"] = xlsx_text(d.xlsx.open("rb").read())
    me = people["kiemduyet"]
    item = monitoring_selectors.queue(actor=me, limit=1)[0]
    monitoring_services.item_claim(actor=me, item_id=item.pk)
    monitoring_services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.CONFIRM, category=item.top_category,
                                    reason="Nội dung gây hại cho học sinh")
    for kind in letters.LETTER_KINDS:
        action = monitoring_services.action_create(actor=me, item_id=item.pk, kind=kind,
                                                   note="GHI-CHU-NOI-BO của kiểm duyệt viên")
        out[f"letter-{kind}.docx"] = docx_text(letters.letter_docx(action))
    return out


def test_no_code_command_abbreviation_or_internal_note_in_any_document(every_document):
    codes = internal_codes()
    assert {"in_progress", "off_track", "confirm", "HATE", "not_applicable"} <= codes
    assert len(every_document) >= 9
    found = {name: problems(text, codes) for name, text in every_document.items()}
    assert {name: p for name, p in found.items() if p} == {}
    for name, text in every_document.items():
        assert "GHI-CHU-NOI-BO" not in text, name


def test_the_scan_finds_what_it_looks_for():
    codes = internal_codes()
    assert problems("Trạng thái: off_track; Nhãn: HATE", codes) == ["HATE", "off_track"]
    assert problems("xem lệnh cyberyouth indicators compute, học trên MXH", codes) == ["MXH", "cyberyouth"]
    assert problems("Kênh: Facebook — https://facebook.com/confirm?x=done", codes) == []
