"""The authority's Ed25519 keys that sign evidence packages: made, kept, rotated, published.

The private key is a PEM file readable only by the server's account (`SIGNING_KEY_DIR`,
`var/keys/` by default); every public key ever used stays in `evidence-public-keys.json` beside
it, so packages signed before a rotation still verify. The public keys are published at
`/giam-sat/khoa-ky/` and printed in every package. See docs/operations.md.
"""

import base64
import fcntl
import json
import os
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from .package_check import fingerprint

PRIVATE = "evidence-signing.pem"
REGISTRY = "evidence-public-keys.json"


def key_dir() -> Path:
    path = Path(settings.SIGNING_KEY_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@contextmanager
def _locked():
    with open(key_dir() / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _public_b64(private: Ed25519PrivateKey) -> str:
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def _fingerprint(private: Ed25519PrivateKey) -> str:
    return fingerprint(private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def published() -> list[dict]:
    """Every public key this installation has signed with, the one in use first:
    {"fingerprint", "public_key" (base64 DER), "pem", "created_at", "retired_at"}."""
    path = key_dir() / REGISTRY
    entries = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    for entry in entries:
        entry["created"] = datetime.fromisoformat(entry["created_at"])
        entry["retired"] = datetime.fromisoformat(entry["retired_at"]) if entry["retired_at"] else None
        der = base64.b64decode(entry["public_key"])
        entry["pem"] = ("-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(der).decode()
                        + "-----END PUBLIC KEY-----\n")
    return sorted(entries, key=lambda e: (e["retired_at"] is not None, e["created_at"]), reverse=False)


def _write(private: Ed25519PrivateKey) -> dict:
    """Make `private` the key in use (the caller holds the lock); the previous one is retired."""
    folder = key_dir()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    tmp = folder / f".{PRIVATE}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    now = timezone.now().isoformat()
    registry = folder / REGISTRY
    entries = json.loads(registry.read_text(encoding="utf-8")) if registry.is_file() else []
    for entry in entries:
        entry.pop("created", None), entry.pop("retired", None), entry.pop("pem", None)
        if entry["retired_at"] is None:
            entry["retired_at"] = now
    entry = {"fingerprint": _fingerprint(private), "public_key": _public_b64(private), "created_at": now,
             "retired_at": None}
    entries.append(entry)
    registry_tmp = folder / f".{REGISTRY}.tmp"
    registry_tmp.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    os.replace(registry_tmp, registry)  # the public key is published before the private key signs
    os.replace(tmp, folder / PRIVATE)
    return entry


def current(*, create: bool = True) -> tuple[Ed25519PrivateKey, dict] | None:
    """The key in use and its published entry; made on first use when `create`."""
    path = key_dir() / PRIVATE
    if not path.is_file():
        if not create:
            return None
        with _locked():
            if not path.is_file():  # another process may have made it while we waited
                _write(Ed25519PrivateKey.generate())
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    fp = _fingerprint(private)
    entry = next((e for e in published() if e["fingerprint"] == fp), None)
    if entry is None:  # a private key put there by hand: publish it
        with _locked():
            entry = _write(private)
    return private, entry


def rotate() -> dict:
    """A new key signs from now on; the old public key stays published, its private key is gone."""
    with _locked():
        return _write(Ed25519PrivateKey.generate())


def sign(body: bytes) -> tuple[str, dict]:
    private, entry = current()
    return base64.b64encode(private.sign(body)).decode(), entry
