"""Helpers for the reports tests: read a generated DOCX back with python-docx."""

import io
import os
import shutil

import pytest
from docx import Document


def open_docx(document):
    with document.docx.open("rb") as f:
        return Document(io.BytesIO(f.read()))


def cell_texts(table) -> list[list[str]]:
    return [[c.text.strip() for c in row.cells] for row in table.rows]


def find_table(doc, first_header: str, contains: str):
    """The table whose header row starts with `first_header` and mentions `contains`."""
    for table in doc.tables:
        head = [c.text.strip() for c in table.rows[0].cells]
        if head and head[0] == first_header and any(contains in h for h in head):
            return table
    raise AssertionError(f"no table {first_header!r}/{contains!r}")


def body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


@pytest.fixture
def docx_of():
    return open_docx


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def soffice():
    """LibreOffice for PDF tests: required in CI (CYBERYOUTH_REQUIRE_BROWSER), skipped elsewhere."""
    path = shutil.which("soffice")
    if path is None or shutil.which("pdftoppm") is None:
        if os.environ.get("CYBERYOUTH_REQUIRE_BROWSER"):
            pytest.fail("soffice/pdftoppm missing: apt-get install libreoffice-writer-nogui poppler-utils")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui poppler-utils)")
    return path


class _Helpers:
    open_docx = staticmethod(open_docx)
    cell_texts = staticmethod(cell_texts)
    find_table = staticmethod(find_table)
    body_text = staticmethod(body_text)


@pytest.fixture
def rd():
    """Helpers to read DOCX output: rd.open_docx(document), rd.find_table(doc, "TT", "Chỉ tiêu") …"""
    return _Helpers
