"""Evidence packages: the items as captured, their attachments, decisions and actions, with a
manifest of SHA-256 hashes signed with the authority's Ed25519 key (`signing.py`).

Layout of a package (a ZIP, every name once, no directories):
    manifest.json                  {"format", "created_at", "created_by", "items", "files": {path: sha256},
                                    "signing_key": {"algorithm": "Ed25519", "public_key", "fingerprint"},
                                    "signature": Ed25519 over the rest (package_check.canonical)}
    items/<id>.json                the item: raw capture (exact string) + raw_sha256, capture time,
                                   source URL, the engine's verdict, the decision history, actions
    attachments/<id>/<n>-<name>    files kept with the item
    KIEM-TRA.txt, kiem_tra.py      how to check the package, and the standalone checker itself

`verify_package` (the same code as `kiem_tra.py`) accepts a package only if every file is listed
with its hash, nothing is missing, added or duplicated, each item's raw capture still matches the
hash taken at ingestion, the signature is valid, and the signing key is one this authority
published (or the one the caller names). Only the public key is needed to check.
"""

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import NotFound

from . import package_check, signing
from .models import Item

FORMAT = package_check.FORMAT
CHECKER = "kiem_tra.py"
README = "KIEM-TRA.txt"


def _readme(entry: dict) -> str:
    page = f"{settings.SITE_URL.rstrip('/')}/giam-sat/khoa-ky/" if settings.SITE_URL else "trang “Khóa ký gói chứng cứ” (/giam-sat/khoa-ky/)"
    return (
        "GÓI CHỨNG CỨ — CÁCH KIỂM TRA\r\n\r\n"
        "Gói này được ký số bằng khóa Ed25519 của cơ quan. Ai cũng kiểm tra được, chỉ cần khóa công khai.\r\n\r\n"
        f"Dấu vân tay khóa ký: {entry['fingerprint']}\r\n"
        f"Khóa công khai (base64): {entry['public_key']}\r\n\r\n"
        f"1. So dấu vân tay trên với khóa cơ quan công bố tại {page}.\r\n"
        "2. Cài Python 3.10+ và gói cryptography (pip install cryptography).\r\n"
        f"3. Giải nén {CHECKER} từ gói rồi chạy:\r\n"
        f"   python3 {CHECKER} goi.zip --public-key \"<khóa công khai hoặc dấu vân tay đã công bố>\"\r\n"
        "Kết quả “toàn vẹn” nghĩa là không tệp nào bị sửa, thêm hay bớt kể từ khi cơ quan ký.\r\n"
    )


def _iso(when):
    return when.isoformat() if when else None


def item_record(item: Item) -> dict:
    channel = item.channel
    return {
        "id": item.pk,
        "source": item.source,
        "channel": {"id": channel.pk, "name": channel.name, "platform": channel.platform, "address": channel.address}
        if channel else None,
        "zone_unit": item.unit.code,
        "external_id": item.external_id,
        "url": item.url,
        "author": item.author,
        "text": item.text,
        "published_at": _iso(item.published_at),
        "captured_at": _iso(item.captured_at),
        "source_url": item.source_url,
        "raw": item.raw,
        "raw_sha256": item.raw_sha256,
        "parent": {"id": item.parent_id, "text": item.parent.text, "url": item.parent.url} if item.parent_id else None,
        "verdict": {"toxicity": item.toxicity, "scores": item.scores, "spans": item.spans,
                    "personal_data": item.personal_data, "model_version": item.model_version,
                    "top_category": item.top_category, "severity": item.severity, "score": item.score},
        "decisions": [
            {"at": _iso(d.decided_at), "moderator": d.moderator.get_username(), "moderator_name": str(d.moderator),
             "outcome": d.outcome, "category": d.category.code if d.category_id else None, "also": d.also,
             "reason": d.reason}
            for d in item.decisions.select_related("moderator", "category")
        ],
        "actions": [
            {"at": _iso(a.created_at), "kind": a.kind, "by": a.actor.get_username(), "recipient": a.recipient,
             "body": a.body, "note": a.note}
            for a in item.actions.select_related("actor")
        ],
    }


def build_package(*, item_ids: list[int], actor=None, items=None) -> bytes:
    """The ZIP for `item_ids` (already scope-checked by the caller). Audited."""
    items = items if items is not None else list(
        Item.objects.filter(pk__in=item_ids).select_related("channel", "unit", "parent"))
    found = {i.pk for i in items}
    missing = [i for i in item_ids if i not in found]
    if missing:
        raise NotFound(f"Không tìm thấy nội dung: {', '.join(map(str, missing))}.")
    files: dict[str, bytes] = {}
    for item in sorted(items, key=lambda i: i.pk):
        record = item_record(item)
        record["attachments"] = []
        for n, att in enumerate(item.attachments.order_by("id"), start=1):
            safe = re.sub(r"[^\w.-]+", "_", att.name)[-80:] or "tep"
            path = f"attachments/{item.pk}/{n}-{safe}"
            with att.file.open("rb") as fh:
                files[path] = fh.read()
            record["attachments"].append({"path": path, "name": att.name, "sha256": att.sha256,
                                          "added_at": _iso(att.added_at)})
        files[f"items/{item.pk}.json"] = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    _, entry = signing.current()
    files[README] = _readme(entry).encode("utf-8")
    files[CHECKER] = Path(package_check.__file__).read_bytes()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "created_by": actor.get_username() if getattr(actor, "pk", None) else "system",
        "items": sorted(found),
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
    }
    manifest["signing_key"] = {"algorithm": "Ed25519", "public_key": entry["public_key"],
                               "fingerprint": entry["fingerprint"]}
    manifest["signature"], signed_by = signing.sign(package_check.canonical(manifest))
    if signed_by["fingerprint"] != entry["fingerprint"]:  # rotated between the two reads: sign again
        return build_package(item_ids=item_ids, actor=actor, items=items)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for path, data in sorted(files.items()):
            zf.writestr(path, data)
    if items:
        audit_record(actor=actor, action="monitoring.evidence_export", target=items[0],
                     after={"items": sorted(found), "sha256": hashlib.sha256(buffer.getvalue()).hexdigest()})
    return buffer.getvalue()


def verify_package(data: bytes, *, public_keys: list[str] | None = None) -> list[str]:
    """Problems found in a package (empty = intact). The signing key must be one of `public_keys`
    (keys or fingerprints) when given, else one this installation has published."""
    trusted = public_keys if public_keys else [e["public_key"] for e in signing.published()]
    problems, _facts = package_check.check(data, trusted=trusted)
    return problems
