"""Standalone verifier of a cyberyouth evidence package (also shipped inside every package as
`kiem_tra.py`): needs only Python 3.10+ and the `cryptography` package, never the server.

    python3 kiem_tra.py goi-chung-cu.zip --public-key "MCowBQYDK2VwAyEA…"   (or a fingerprint, or a .pem file)

Checks, in order: the ZIP is well formed with no duplicate names, no directories, no path tricks
(absolute paths, `..`, backslashes, drive letters, control characters) and no oversized entry;
`manifest.json` lists every other entry with its SHA-256, nothing missing, nothing added; each
item's raw capture still matches the hash taken at capture; the manifest's Ed25519 signature is
valid for the public key it names; and that key is one the authority published (the key or its
fingerprint given with --public-key, compared with the authority's official page). Exit 0 only if
the package is intact. The server's `cyberyouth monitoring verify` runs this same code.
"""

import base64
import binascii
import hashlib
import io
import json
import re
import sys
import unicodedata
import zipfile

FORMAT = "cyberyouth-evidence/2"
MANIFEST = "manifest.json"
MAX_ENTRIES = 10_000
MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f\\:]")


def canonical(manifest: dict) -> bytes:
    """The bytes the signature covers: the manifest without its `signature`, keys sorted."""
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of the raw 32-byte Ed25519 public key, in groups of four hex digits."""
    digest = hashlib.sha256(public_raw).hexdigest().upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def _norm_fingerprint(text: str) -> str:
    return re.sub(r"[^0-9A-F]", "", text.upper())


def public_raw_from_text(text: str) -> bytes | None:
    """A public key given as PEM, base64 of the DER SubjectPublicKeyInfo, or base64 of the raw 32
    bytes. None when it is none of these (it may be a fingerprint)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        else:
            der = base64.b64decode(text, validate=True)
            key = (Ed25519PublicKey.from_public_bytes(der) if len(der) == 32
                   else serialization.load_der_public_key(der))
    except (ValueError, TypeError, binascii.Error):
        return None
    if not isinstance(key, Ed25519PublicKey):
        return None
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def name_problem(name: str) -> str | None:
    """Why an entry's name is refused, or None."""
    if not name or name.endswith("/"):
        return "thư mục hoặc tên rỗng"
    if _BAD_NAME.search(name):
        return "tên chứa ký tự không được phép"
    if name.startswith("/") or any(part in {"", ".", ".."} for part in name.split("/")):
        return "đường dẫn không hợp lệ"
    if unicodedata.normalize("NFC", name) != name:
        return "tên không ở dạng chuẩn NFC"
    return None


def check(data: bytes, *, trusted: list[str] | None = None) -> tuple[list[str], dict]:
    """(problems, facts) for a package. `trusted`: public keys (any form `public_raw_from_text`
    reads) or fingerprints the signing key must match; None = report the key, trust nothing."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    problems: list[str] = []
    facts: dict = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return ["Không phải tệp ZIP hợp lệ."], facts
    with zf:
        if len(infos) > MAX_ENTRIES:
            return [f"Gói có quá nhiều mục ({len(infos)})."], facts
        seen: dict[str, int] = {}
        total = 0
        for info in infos:
            seen[info.filename] = seen.get(info.filename, 0) + 1
            total += info.file_size
            why = name_problem(info.filename)
            if why:
                problems.append(f"{info.filename!r}: {why}.")
            if info.file_size > MAX_MEMBER_BYTES:
                problems.append(f"{info.filename}: quá lớn.")
        for name, count in sorted(seen.items()):
            if count > 1:
                problems.append(f"{name}: xuất hiện {count} lần trong gói (tên trùng lặp).")
        if total > MAX_TOTAL_BYTES:
            problems.append("Gói quá lớn khi giải nén.")
        if problems:
            return problems, facts
        by_name = {i.filename: i for i in infos}

        def read(name: str) -> bytes:
            info = by_name[name]
            with zf.open(info) as fh:  # never trust the declared size: read at most one byte more
                content = fh.read(info.file_size + 1)
            if len(content) != info.file_size:
                raise ValueError("kích thước khai báo sai")
            return content

        if MANIFEST not in by_name:
            return ["Thiếu manifest.json."], facts
        try:
            manifest = json.loads(read(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError):
            return ["manifest.json không đọc được."], facts
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(
                manifest.get("files"), dict) or not isinstance(manifest.get("signing_key"), dict):
            if isinstance(manifest, dict) and manifest.get("format") == "cyberyouth-evidence/1":
                return ["Gói theo định dạng cũ (chữ ký đối xứng, không kiểm tra được bằng khóa công khai); "
                        "hãy xuất lại gói."], facts
            return ["manifest.json không đúng định dạng gói chứng cứ."], facts
        facts = {"created_at": manifest.get("created_at"), "created_by": manifest.get("created_by"),
                 "items": manifest.get("items"), "fingerprint": None}

        key_info = manifest["signing_key"]
        public_raw = public_raw_from_text(str(key_info.get("public_key", "")))
        if public_raw is None or key_info.get("algorithm") != "Ed25519":
            problems.append("manifest.json không ghi khóa công khai Ed25519 hợp lệ.")
        else:
            facts["fingerprint"] = fingerprint(public_raw)
            if _norm_fingerprint(str(key_info.get("fingerprint", ""))) != _norm_fingerprint(facts["fingerprint"]):
                problems.append("Dấu vân tay ghi trong manifest không khớp khóa công khai.")
            try:
                signature = base64.b64decode(str(manifest.get("signature", "")), validate=True)
                Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, canonical(manifest))
            except (InvalidSignature, ValueError, binascii.Error):
                problems.append("Chữ ký Ed25519 của manifest không hợp lệ (manifest đã bị sửa).")
            if trusted is not None:
                wanted = set()
                for entry in trusted:
                    raw = public_raw_from_text(entry)
                    wanted.add(_norm_fingerprint(fingerprint(raw)) if raw else _norm_fingerprint(entry))
                if _norm_fingerprint(facts["fingerprint"]) not in wanted:
                    problems.append(f"Gói được ký bằng khóa {facts['fingerprint']}, không phải khóa đã công bố của "
                                    "cơ quan (gói có thể đã bị làm lại).")

        listed = manifest["files"]
        for name in sorted(set(by_name) - set(listed) - {MANIFEST}):
            problems.append(f"{name}: tệp không có trong manifest.")
        for name, digest in sorted(listed.items()):
            if name not in by_name:
                problems.append(f"{name}: thiếu tệp.")
                continue
            try:
                content = read(name)
            except (ValueError, zipfile.BadZipFile, OSError) as exc:
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
    return problems, facts


def main(argv: list[str] | None = None) -> int:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Kiểm tra gói chứng cứ cyberyouth.")
    parser.add_argument("package", help="tệp .zip của gói chứng cứ")
    parser.add_argument("--public-key", action="append", default=None,
                        help="khóa công khai (PEM, base64, tệp .pem) hoặc dấu vân tay mà cơ quan đã công bố")
    args = parser.parse_args(argv)
    trusted = None
    if args.public_key:
        trusted = [Path(k).read_text(encoding="utf-8") if Path(k).is_file() else k for k in args.public_key]
    try:
        data = Path(args.package).read_bytes()
    except OSError as exc:
        print(f"Không đọc được tệp: {exc}", file=sys.stderr)
        return 2
    problems, facts = check(data, trusted=trusted)
    if facts.get("fingerprint"):
        print(f"Khóa ký: Ed25519, dấu vân tay {facts['fingerprint']}")
    for problem in problems:
        print(f"SAI: {problem}", file=sys.stderr)
    if problems:
        print("Gói chứng cứ KHÔNG toàn vẹn.", file=sys.stderr)
        return 1
    print("Gói chứng cứ toàn vẹn: mọi tệp khớp mã băm, chữ ký hợp lệ.")
    if trusted is None:
        print("Lưu ý: chưa so khóa ký với khóa cơ quan công bố. So dấu vân tay trên với trang công bố chính thức, "
              "hoặc chạy lại với --public-key.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
