"""One check for every uploaded file: name, type by extension *and* by content, size, hash.

Plans' evidence, indicator evidence and monitoring attachments all go through `check_upload`,
so a renamed HTML page cannot pass for a PDF anywhere, and the refusals read the same.
"""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cyberyouth.errors import DomainError

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".txt": "text/plain",
}
# What the first bytes of each type must be (".txt": checked as UTF-8 text instead).
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the file's own name, NFC, without any directory
    ext: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload, *, allowed: tuple[str, ...] | list[str], max_bytes: int, field: str = "file") -> CheckedUpload:
    """Refuse (DomainError on `field`) a file of another type, empty, too large, or whose content
    is not what its extension says. Leaves the upload rewound for saving."""
    name = unicodedata.normalize("NFC", Path(getattr(upload, "name", "") or "").name)[-150:]
    ext = Path(name).suffix.lower()
    if ext not in allowed:
        kinds = ", ".join(sorted({e.lstrip(".").upper() for e in allowed}))
        raise DomainError(f"Loại tệp “{ext or name or '?'}” không được chấp nhận. Chấp nhận: {kinds}.",
                          field=field, code="file_type")
    size = upload.size
    if size > max_bytes:
        raise DomainError(f"Tệp quá lớn ({size / 1048576:.1f} MB); tối đa {max_bytes / 1048576:g} MB.",
                          field=field, code="file_size")
    if not size:
        raise DomainError("Tệp rỗng.", field=field, code="file_empty")
    digest = hashlib.sha256()
    head = b""
    text_ok = True
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        digest.update(chunk)
        if ext == ".txt" and text_ok:
            try:
                text_ok = "\x00" not in decoder.decode(chunk)
            except UnicodeDecodeError:
                text_ok = False
    upload.seek(0)
    if ext == ".txt":
        try:
            decoder.decode(b"", final=True)  # a multi-byte letter cut off at the very end
        except UnicodeDecodeError:
            text_ok = False
        if not text_ok:
            raise DomainError("Tệp .txt phải là văn bản UTF-8.", field=field, code="file_content")
    elif not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise DomainError(f"Nội dung tệp không đúng định dạng {ext}.", field=field, code="file_content")
    return CheckedUpload(name=name, ext=ext, content_type=CONTENT_TYPES[ext], size=size, sha256=digest.hexdigest())
