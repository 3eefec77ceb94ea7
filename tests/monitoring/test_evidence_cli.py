"""Evidence packages and `cyberyouth monitoring verify`; CSV/XLSX import; labelled decisions."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cyberyouth.errors import DomainError
from cyberyouth.monitoring import evidence, selectors, services
from cyberyouth.monitoring.models import Item

pytestmark = pytest.mark.django_db


def _confirmed_item(people):
    me = people["kiemduyet"]
    item = selectors.queue(actor=me, limit=1)[0]
    services.item_claim(actor=me, item_id=item.pk)
    services.item_decide(actor=me, item_id=item.pk, outcome="confirm", category=item.top_category,
                         reason="Vi phạm rõ ràng, cần xử lý")
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.attachment_add(actor=me, item_id=item.pk, upload=SimpleUploadedFile("chup.png", b"\x89PNG\r\n\x1a\n fake image"))
    return item


def _verify(path) -> int:
    with pytest.raises(SystemExit) as exc:
        call_command("monitoring", "verify", str(path))
    return exc.value.code


def test_export_and_verify_and_tampering(people, tmp_path, capsys):
    item = _confirmed_item(people)
    other = selectors.queue(actor=people["kiemduyet"], limit=1)[0]
    out = tmp_path / "goi.zip"
    call_command("monitoring", "export-evidence", str(item.pk), str(other.pk), "--out", str(out), "--user", "kiemduyet")
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        record = json.loads(zf.read(f"items/{item.pk}.json"))
    assert {"manifest.json", f"items/{item.pk}.json", f"items/{other.pk}.json"} <= names
    assert any(n.startswith(f"attachments/{item.pk}/") for n in names)
    assert record["raw_sha256"] == item.raw_sha256 and record["decisions"][0]["reason"] == "Vi phạm rõ ràng, cần xử lý"
    assert record["captured_at"] and record["verdict"]["scores"]
    assert set(manifest["files"]) == names - {"manifest.json"}
    call_command("monitoring", "verify", str(out))  # returns normally = exit 0
    assert "toàn vẹn" in capsys.readouterr().out

    def rewrite(name, change, *, fix_manifest=False):
        target = tmp_path / f"tampered-{name.replace('/', '_')}-{fix_manifest}.zip"
        with zipfile.ZipFile(out) as src, zipfile.ZipFile(target, "w") as dst:
            files = {n: src.read(n) for n in src.namelist()}
            files[name] = change(files[name])
            if fix_manifest:  # a careful forger also rewrites the manifest's hash
                import hashlib

                m = json.loads(files["manifest.json"])
                m["files"][name] = hashlib.sha256(files[name]).hexdigest()
                files["manifest.json"] = json.dumps(m).encode()
            for n, data in files.items():
                dst.writestr(n, data)
        return target

    item_json = f"items/{item.pk}.json"
    edit_text = lambda b: b.replace("Vi phạm rõ ràng".encode(), "Không vi phạm".encode())  # noqa: E731
    assert _verify(rewrite(item_json, edit_text)) == 1
    assert _verify(rewrite(item_json, edit_text, fix_manifest=True)) == 1  # the signature catches it
    attachment = next(n for n in names if n.startswith("attachments/"))
    assert _verify(rewrite(attachment, lambda b: b + b"!")) == 1

    def edit_raw(data):  # change the raw capture and its own hash field consistently… but not the manifest
        rec = json.loads(data)
        rec["raw"] = rec["raw"].replace("a", "b", 1) + " "
        return json.dumps(rec).encode()
    assert _verify(rewrite(item_json, edit_raw, fix_manifest=True)) == 1
    extra = tmp_path / "extra.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(extra, "w") as dst:
        for n in src.namelist():
            dst.writestr(n, src.read(n))
        dst.writestr("items/999.json", b"{}")
    assert _verify(extra) == 1
    (tmp_path / "not.zip").write_bytes(b"hello")
    assert _verify(tmp_path / "not.zip") == 1
    assert "KHÔNG toàn vẹn" in capsys.readouterr().err


def test_export_refuses_items_out_of_scope(people, tmp_path):
    item = Item.objects.first()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("monitoring", "export-evidence", str(item.pk), "--out", str(tmp_path / "x.zip"), "--user",
                     "daumoi.gdnn")
    assert evidence.verify_package(evidence.build_package(item_ids=[item.pk])) == []


def test_import_csv_and_xlsx_errors_by_row_nothing_half_imported(people, channel):
    me = people["kiemduyet"]
    before = Item.objects.count()
    bad = "text,url,published_at\nBài tốt,https://x.example/1,2025-09-01T08:00:00+07:00\n,https://x.example/2,\n" \
          "Bài ba,ftp://sai,\nBài bốn,,ngày mai\n"
    with pytest.raises(DomainError) as exc:
        services.import_rows(actor=me, channel=channel, filename="thu-thap.csv", data=bad.encode())
    assert "Dòng 3" in exc.value.message and "Dòng 4" in exc.value.message and "Dòng 5" in exc.value.message
    assert "Dòng 2" not in exc.value.message
    assert Item.objects.count() == before
    good = "nội dung;đường dẫn\nCá độ bóng đá uy tín nạp thẻ x3;https://x.example/a\nChào buổi sáng;\n"
    results = services.import_rows(actor=me, channel=channel, filename="a.csv", data=good.encode("utf-8-sig"))
    assert len(results) == 2 and Item.objects.count() == before + 2
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["text", "author", "published_at"])
    wb.active.append(["Bài từ bảng tính", "Người A", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    results = services.import_rows(actor=me, channel=channel, filename="b.xlsx", data=buffer.getvalue())
    assert results[0].item.author == "Người A"
    with pytest.raises(DomainError):
        services.import_rows(actor=me, channel=channel, filename="b.xls", data=b"x")
    with pytest.raises(DomainError):
        services.import_rows(actor=me, channel=channel, filename="c.csv", data=b"url\nhttps://x\n")


def test_export_decisions_as_labelled_csv(people, tmp_path):
    from cyberyouth.safety.train import load_labelled_csv

    _confirmed_item(people)
    out = tmp_path / "decisions.csv"
    call_command("monitoring", "export-decisions", "--out", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and set(r["label"] for r in rows) <= {"CLEAN", "OFFENSIVE", "HATE"}
    assert "CLEAN" in {r["label"] for r in rows}  # the demo moderator dismissed some
    texts, labels = load_labelled_csv(out)  # what `cyberyouth safety train --data` reads
    assert len(texts) == len(rows)
    call_command("monitoring", "export-decisions", "--out", str(out), "--scheme", "category")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {(r["labels"], r["partial"]) for r in rows if r["labels"] == "-"} == {("-", "0")}  # dismissed: clean
    assert "gambling" in {r["labels"] for r in rows}
    assert all(r["partial"] == "1" for r in rows if r["labels"] != "-")  # one category judged, not the rest
    # what `cyberyouth safety train-categories --data` and `eval --categories --data` read
    from cyberyouth.safety import dataset

    examples = dataset.read_csv(out)
    assert len(examples) == len(rows)
    confirmed = next(ex for ex in examples if ex.labels)
    assert confirmed.partial and all(confirmed.known(c) == (c in confirmed.labels) for c in dataset.CATEGORY_CODES)
    # a time split: decisions before a day (for training) and from it (to measure on)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    call_command("monitoring", "export-decisions", "--out", str(out), "--scheme", "category", "--until", tomorrow)
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == len(rows)
    call_command("monitoring", "export-decisions", "--out", str(out), "--scheme", "category", "--since", tomorrow)
    assert list(csv.DictReader(out.open(encoding="utf-8"))) == []
