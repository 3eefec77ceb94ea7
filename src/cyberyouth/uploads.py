"""One check for every uploaded file: name, type by extension *and* by content, size, hash; for
ZIP-based formats (DOCX, XLSX) the size once decompressed; and the one way to open a workbook
in bounded time and memory (`open_workbook`, `bounded_rows`).

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
    # the media library's products (task group 5): pictures, videos, e-books, 3D/VR models
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".epub": "application/epub+zip",
    ".glb": "model/gltf-binary",
}
# What the first bytes of each type must be (".txt": checked as UTF-8 text instead).
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webm": (b"\x1a\x45\xdf\xa3",),
    ".glb": (b"glTF",),
}
# Formats told by bytes further in: every (offset, bytes) must match. An MP4 (ISO media) names its
# brand in an "ftyp" box at byte 4; WebP is a RIFF file of form "WEBP"; an EPUB is a ZIP whose first
# entry is the uncompressed "mimetype" holding "application/epub+zip" (EPUB OCF 3, §4.3).
MARKERS = {
    ".mp4": ((4, b"ftyp"),),
    ".webp": ((0, b"RIFF"), (8, b"WEBP")),
    ".epub": ((0, b"PK\x03\x04"), (30, b"mimetypeapplication/epub+zip")),
}
HEAD_BYTES = 64


ZIP_BASED = (".docx", ".xlsx", ".epub")
# A ZIP-based file may not unpack to more than this (an XLSX "bomb" of 0.26 MB held a web worker
# for 22 s and 1.3 GB), nor hold more entries, nor compress any entry more than MAX_ZIP_RATIO.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_RATIO = 200
MAX_WORKBOOK_UNPACKED = 25 * 1024 * 1024
# Cells read from one workbook, all sheets together.
MAX_CELLS = 500_000


def check_zip(source, *, field: str = "file", max_unpacked: int | None = None) -> None:
    """Refuse a ZIP (file object or bytes) that would unpack too big, holds too many entries or
    compresses suspiciously well. Reads only the central directory; zipfile then enforces the
    declared sizes when the entries are read."""
    import io
    import zipfile

    limit = max_unpacked or MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes | bytearray) else source) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError("Tệp bị hỏng hoặc không đúng định dạng.", field=field, code="file_content") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise DomainError("Tệp có quá nhiều thành phần bên trong.", field=field, code="file_size")
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise DomainError(f"Tệp khi giải nén quá lớn ({total / 1048576:.0f} MB; tối đa {limit / 1048576:g} MB).",
                          field=field, code="file_size")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise DomainError("Tệp nén bất thường (tỉ lệ nén quá cao), không mở.", field=field, code="file_size")


def open_workbook(data: bytes, *, field: str = "file"):
    """An openpyxl workbook in read-only mode (rows stream, nothing held whole), after the
    ZIP check. DomainError for anything that is not a workbook."""
    import io

    from openpyxl import load_workbook

    not_workbook = DomainError("Không đọc được tệp: cần tệp Excel .xlsx.", field=field, code="file_content")
    try:
        check_zip(data, field=field, max_unpacked=MAX_WORKBOOK_UNPACKED)
    except DomainError as exc:
        raise (not_workbook if exc.code == "file_content" else exc) from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a file that is not a workbook
        raise not_workbook from None


class CellBudget:
    """How many cells a workbook may still yield (MAX_CELLS for all its sheets together)."""

    def __init__(self, cells: int | None = None):
        self.left = MAX_CELLS if cells is None else cells


def bounded_rows(ws, *, max_rows: int, max_cols: int, budget: CellBudget, min_row: int = 1, field: str = "file"):
    """Yield (row number, tuple of at most `max_cols` values) while streaming `ws`; refuse as soon
    as the sheet passes `max_rows` rows or the workbook the cell budget — never after loading it."""
    for number, values in enumerate(ws.iter_rows(min_row=min_row, max_col=max_cols, values_only=True),
                                    start=min_row):
        if number - min_row + 1 > max_rows:
            raise DomainError(f"Trang “{ws.title}” quá {max_rows} dòng.", field=field, code="file_size")
        budget.left -= len(values)
        if budget.left < 0:
            raise DomainError(f"Tệp quá {MAX_CELLS:,} ô dữ liệu.".replace(",", "."), field=field, code="file_size")
        yield number, values


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
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
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
    elif ext in MARKERS:
        if not all(head[at:at + len(marker)] == marker for at, marker in MARKERS[ext]):
            raise DomainError(f"Nội dung tệp không đúng định dạng {ext}.", field=field, code="file_content")
    elif not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise DomainError(f"Nội dung tệp không đúng định dạng {ext}.", field=field, code="file_content")
    if ext in ZIP_BASED:
        check_zip(upload, field=field)
        upload.seek(0)
    return CheckedUpload(name=name, ext=ext, content_type=CONTENT_TYPES[ext], size=size, sha256=digest.hexdigest())
