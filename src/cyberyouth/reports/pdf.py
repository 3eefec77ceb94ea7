"""DOCX → PDF with LibreOffice headless (Debian package `libreoffice-writer-nogui`), offline.

Each conversion gets its own LibreOffice user profile: two conversions at once (two workers,
or a worker and the CLI) would otherwise fight over the lock of the shared profile.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from cyberyouth.errors import DomainError

TIMEOUT_SECONDS = int(os.environ.get("CYBERYOUTH_SOFFICE_TIMEOUT", "180"))


def soffice_path() -> str | None:
    return os.environ.get("CYBERYOUTH_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert a DOCX (bytes) to PDF (bytes). Raises DomainError if LibreOffice is missing or fails."""
    soffice = soffice_path()
    if soffice is None:
        raise DomainError(
            "Máy chủ chưa cài LibreOffice nên chưa chuyển được sang PDF "
            "(cài gói libreoffice-writer-nogui).", field="format", code="pdf_unavailable")
    with tempfile.TemporaryDirectory(prefix="cyberyouth-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = work / "profile"
        cmd = [
            soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work), str(source),
        ]
        env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, env=env, cwd=work)
        except subprocess.TimeoutExpired as exc:
            raise DomainError("Chuyển sang PDF quá thời gian cho phép.", code="pdf_failed") from exc
        target = work / "document.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()[-300:]
            raise DomainError(f"LibreOffice không chuyển được văn bản sang PDF. {detail}".strip(), code="pdf_failed")
        return target.read_bytes()
