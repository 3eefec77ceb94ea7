"""Evidence packages: the items as captured, their attachments, decisions and actions, with a
manifest of SHA-256 hashes signed by the installation.

Layout of a package (a ZIP):
    manifest.json                  {"format", "created_at", "created_by", "items", "files": {path: sha256},
                                    "signature": HMAC-SHA256 of the rest, keyed by the installation}
    items/<id>.json                the item: raw capture (exact string) + raw_sha256, capture time,
                                   source URL, the engine's verdict, the decision history, actions
    attachments/<id>/<n>-<name>    files kept with the item

`verify_package` accepts a package only if every file is listed with its hash, nothing is
missing or added, each item's raw capture still matches the hash taken at ingestion, and the
manifest's signature is intact — so rewriting a file *and* its manifest entry is caught too.
Anyone can check the file hashes; the signature needs this installation's key.
"""

import hashlib
import hmac
import io
import json
import re
import zipfile

from django.conf import settings
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, NotFound

from .models import Item

FORMAT = "cyberyouth-evidence/1"
MAX_MEMBER_BYTES = 200 * 1024 * 1024


def _key() -> bytes:
    return hashlib.sha256(f"cyberyouth.monitoring.evidence:{settings.SECRET_KEY}".encode()).digest()


def _sign(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_key(), canonical, hashlib.sha256).hexdigest()


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
             "outcome": d.outcome, "category": d.category.code if d.category_id else None, "reason": d.reason}
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
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "created_by": actor.get_username() if getattr(actor, "pk", None) else "system",
        "items": sorted(found),
        "files": {path: hashlib.sha256(data).hexdigest() for path, data in sorted(files.items())},
    }
    manifest["signature"] = _sign(manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for path, data in sorted(files.items()):
            zf.writestr(path, data)
    if items:
        audit_record(actor=actor, action="monitoring.evidence_export", target=items[0],
                     after={"items": sorted(found), "sha256": hashlib.sha256(buffer.getvalue()).hexdigest()})
    return buffer.getvalue()


def verify_package(data: bytes) -> list[str]:
    """Problems found in a package (empty = intact)."""
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["Không phải tệp ZIP hợp lệ."]
    with zf:
        infos = {i.filename: i for i in zf.infolist() if not i.is_dir()}
        if "manifest.json" not in infos:
            return ["Thiếu manifest.json."]

        def read(name: str) -> bytes:
            if infos[name].file_size > MAX_MEMBER_BYTES:
                raise DomainError(f"{name}: quá lớn.")
            return zf.read(name)

        try:
            manifest = json.loads(read("manifest.json").decode("utf-8"))
        except (ValueError, UnicodeDecodeError, DomainError, zipfile.BadZipFile):
            return ["manifest.json không đọc được."]
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(
                manifest.get("files"), dict):
            return ["manifest.json không đúng định dạng gói chứng cứ."]
        if not hmac.compare_digest(str(manifest.get("signature", "")), _sign(manifest)):
            problems.append("Chữ ký của manifest không khớp (manifest đã bị sửa hoặc gói không do hệ thống này tạo).")
        listed = manifest["files"]
        for name in sorted(set(infos) - set(listed) - {"manifest.json"}):
            problems.append(f"{name}: tệp không có trong manifest.")
        for name, digest in sorted(listed.items()):
            if name not in infos:
                problems.append(f"{name}: thiếu tệp.")
                continue
            try:
                content = read(name)
            except (DomainError, zipfile.BadZipFile, OSError) as exc:
                problems.append(f"{name}: không đọc được ({exc}).")
                continue
            if hashlib.sha256(content).hexdigest() != digest:
                problems.append(f"{name}: mã băm SHA-256 không khớp (tệp đã bị sửa).")
                continue
            if name.startswith("items/") and name.endswith(".json"):
                try:
                    record = json.loads(content.decode("utf-8"))
                    if hashlib.sha256(record["raw"].encode("utf-8")).hexdigest() != record["raw_sha256"]:
                        problems.append(f"{name}: bản ghi gốc không khớp mã băm lúc thu thập.")
                except (ValueError, KeyError, TypeError, AttributeError):
                    problems.append(f"{name}: không đọc được bản ghi nội dung.")
    return problems
