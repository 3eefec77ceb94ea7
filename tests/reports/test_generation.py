"""Background generation with progress, failures, PDF through LibreOffice, and the CLI."""

import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from cyberyouth.reports import composer, services
from cyberyouth.reports.models import DocumentStatus, GeneratedDocument


def test_large_scope_goes_to_the_worker_and_reports_progress(people, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    document = services.document_request(actor=people["thuongtruc"], kind="review", year=2025, want_pdf=False)
    assert services.needs_worker(document)
    document = services.document_start(document=document)
    assert document.status == DocumentStatus.QUEUED and document.task_id
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(id=document.task_id).exists()
    # What the worker runs; the progress it writes reaches 100.
    seen = []
    original = services._set_progress

    def spy(document_id, percent, stage):
        seen.append(percent)
        original(document_id, percent, stage)

    services._set_progress = spy
    try:
        done = services.document_generate(document_id=document.id)
    finally:
        services._set_progress = original
    assert done.status == DocumentStatus.DONE and done.progress == 100 and done.docx
    assert seen == sorted(seen) and len(seen) >= 5


def test_immediate_backend_runs_the_task(people, immediate_tasks):
    document = services.document_request(actor=people["thuongtruc"], kind="yearly", year=2025, want_pdf=False)
    document = services.document_start(document=document, background=True)
    assert document.status == DocumentStatus.DONE and document.xlsx


def test_a_failure_is_recorded_with_its_reason_and_no_files(people, monkeypatch):
    def broken(facts, progress=None):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(composer, "build", broken)
    document = services.document_request(actor=people["thuongtruc"], kind="yearly", year=2025, want_pdf=False)
    document = services.document_generate(document_id=document.id)
    assert document.status == DocumentStatus.FAILED and "hỏng" in document.error
    assert not document.docx and not document.xlsx


def test_xlsx_annex_has_the_numerators(people, units):
    from openpyxl import load_workbook

    document = services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2025, want_pdf=False)
    with document.xlsx.open("rb") as f:
        wb = load_workbook(f)
    assert wb.sheetnames[:3] == ["Chỉ tiêu theo đơn vị", "Nhiệm vụ theo nhóm", "Tình hình báo cáo"]
    ws = wb["Chỉ tiêu theo đơn vị"]
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == "hp-dk-cat-hai"]
    snapshot = document.indicator_snapshot["rows"][0]["indicators"]
    assert [(r[2], r[4], r[5]) for r in rows] == [(i["number"], i["numerator"], i["denominator"]) for i in snapshot]


def test_cli_yearly_review_plan(people, tmp_path):
    out = tmp_path / "bao-cao-2025.docx"
    call_command("reports", "yearly", "--year", "2025", "--out", str(out), "--as", "thuongtruc")
    doc = Document(str(out))
    assert doc.paragraphs and any(p.text == "BÁO CÁO" for p in doc.paragraphs)
    xlsx = tmp_path / "phu-luc.xlsx"
    call_command("reports", "review", "--milestone", "2025", "--out", str(xlsx))
    assert xlsx.read_bytes()[:2] == b"PK"
    plan = tmp_path / "ke-hoach.docx"
    call_command("reports", "plan", "--out", str(plan))
    assert any(p.text == "KẾ HOẠCH" for p in Document(str(plan)).paragraphs)
    school = tmp_path / "truong.docx"
    call_command("reports", "yearly", "--year", "2025", "--unit", "thcs-cat-ba", "--out", str(school))
    assert GeneratedDocument.objects.filter(unit__code="thcs-cat-ba", kind="yearly").exists()


def test_cli_errors_are_clear(db, tmp_path):
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("reports", "yearly", "--year", "2025", "--unit", "khong-co", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="giai đoạn"):
        call_command("reports", "yearly", "--year", "2019", "--out", str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match="XLSX"):
        call_command("reports", "plan", "--out", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="quyền|Không tìm thấy"):
        call_command("reports", "yearly", "--year", "2025", "--unit", "thcs-cat-ba", "--as", "daumoi.gdnn",
                     "--out", str(tmp_path / "x.docx"))


def test_pdf_opens_in_libreoffice_and_numbers_pages_from_two(people, soffice, tmp_path):
    document = services.document_generate_now(actor=people["thuongtruc"], kind="plan", want_pdf=True)
    pdf = tmp_path / "ke-hoach.pdf"
    with document.pdf.open("rb") as f:
        pdf.write_bytes(f.read())
    assert pdf.read_bytes()[:5] == b"%PDF-"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info or "595.3" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first and "KẾ HOẠCH" in first
    assert second.strip().splitlines()[0].strip() == "2"  # page number at the top from page 2
    assert not first.strip().splitlines()[0].strip().isdigit()  # none on page 1
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    png = next(Path(tmp_path).glob("p-*.png"))
    assert png.stat().st_size > 5000


def test_cli_pdf(people, soffice, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    call_command("reports", "yearly", "--year", "2025", "--unit", "gdnn-gdtx-cat-hai", "--out", str(out))
    assert out.read_bytes()[:5] == b"%PDF-"
