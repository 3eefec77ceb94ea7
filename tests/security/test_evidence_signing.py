"""Evidence packages are signed with the authority's Ed25519 key and checked with the public key
alone: a package edited and re-signed (even by someone holding SECRET_KEY), duplicate names, extra
entries and path tricks are refused; rotation keeps old packages verifiable."""

import base64
import hashlib
import json
import subprocess
import sys
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cyberyouth.monitoring import evidence, package_check, signing
from cyberyouth.monitoring.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(db):
    item = Item.objects.order_by("pk").first()
    return evidence.build_package(item_ids=[item.pk]), item


def _files(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    import io
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names: that is the attack
        with zipfile.ZipFile(buffer, "w") as zf:
            for name, data in entries:
                zf.writestr(name, data)
    return buffer.getvalue()


def test_package_names_its_key_and_ships_a_checker(package):
    data, item = package
    files = dict(_files(data))
    manifest = json.loads(files["manifest.json"])
    entry = signing.current()[1]
    assert manifest["format"] == "cyberyouth-evidence/2"
    assert manifest["signing_key"]["fingerprint"] == entry["fingerprint"]
    assert entry["fingerprint"] in files["KIEM-TRA.txt"].decode()
    assert files["kiem_tra.py"] == open(package_check.__file__, "rb").read()
    assert set(manifest["files"]) == set(files) - {"manifest.json"}
    assert evidence.verify_package(data) == []


def test_resigned_forgery_is_refused_even_with_the_server_secret(package):
    """The old HMAC could be recomputed by anyone holding SECRET_KEY; an Ed25519 signature by
    another key is refused because the key is not the published one."""
    data, item = package
    files = dict(_files(data))
    name = f"items/{item.pk}.json"
    record = json.loads(files[name])
    record["text"] = "Nội dung đã bị sửa"
    files[name] = json.dumps(record).encode()
    manifest = json.loads(files["manifest.json"])
    manifest["files"][name] = hashlib.sha256(files[name]).hexdigest()
    forger = Ed25519PrivateKey.generate()
    raw = forger.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    manifest["signing_key"] = {"algorithm": "Ed25519", "public_key": base64.b64encode(raw).decode(),
                               "fingerprint": package_check.fingerprint(raw)}
    manifest["signature"] = base64.b64encode(forger.sign(package_check.canonical(manifest))).decode()
    files["manifest.json"] = json.dumps(manifest).encode()
    forged = _zip(list(files.items()))
    problems = evidence.verify_package(forged)
    assert any("không phải khóa đã công bố" in p for p in problems)
    # Without re-signing, the signature itself fails.
    manifest["signing_key"] = json.loads(dict(_files(data))["manifest.json"])["signing_key"]
    files["manifest.json"] = json.dumps(manifest).encode()
    assert any("Chữ ký Ed25519" in p for p in evidence.verify_package(_zip(list(files.items()))))


def test_duplicate_names_are_refused(package):
    data, item = package
    entries = _files(data)
    name = f"items/{item.pk}.json"
    genuine = dict(entries)[name]
    forged_item = genuine.replace(b'"text"', b'"text_"', 1)
    # a forged item placed before the genuine one (zipfile reads the last of equal names)
    assert evidence.verify_package(_zip([(name, forged_item), *entries]))
    assert any("trùng lặp" in p for p in evidence.verify_package(_zip([(name, forged_item), *entries])))
    manifest = dict(entries)["manifest.json"]
    assert any("trùng lặp" in p for p in evidence.verify_package(_zip([*entries, ("manifest.json", manifest)])))


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "items/../x.json", "items\\x.json", "C:/x",
                                  "items//x.json", "a/\x00b", "dir/"])
def test_path_tricks_and_extra_entries_are_refused(package, name):
    data, _ = package
    problems = evidence.verify_package(_zip([*_files(data), (name, b"x")]))
    assert problems


def test_extra_entry_is_refused(package):
    data, _ = package
    assert any("không có trong manifest" in p for p in evidence.verify_package(_zip([*_files(data), ("a.txt", b"x")])))


def test_rotation_keeps_old_packages_verifiable(package):
    old_data, item = package
    old_fp = signing.current()[1]["fingerprint"]
    new = signing.rotate()
    assert new["fingerprint"] != old_fp
    new_data = evidence.build_package(item_ids=[item.pk])
    assert json.loads(dict(_files(new_data))["manifest.json"])["signing_key"]["fingerprint"] == new["fingerprint"]
    assert evidence.verify_package(old_data) == [] and evidence.verify_package(new_data) == []
    retired = [k for k in signing.published() if k["retired_at"]]
    assert old_fp in {k["fingerprint"] for k in retired}
    # checked against one named key only: the other package is refused
    assert evidence.verify_package(old_data, public_keys=[new["fingerprint"]])
    assert evidence.verify_package(old_data, public_keys=[old_fp]) == []


def test_standalone_checker_needs_only_the_public_key(package, tmp_path):
    data, item = package
    (tmp_path / "goi.zip").write_bytes(data)
    (tmp_path / "kiem_tra.py").write_bytes(dict(_files(data))["kiem_tra.py"])
    entry = signing.current()[1]
    env = {"PATH": "/usr/bin:/bin"}  # no Django settings, no database, no server key

    def run(*args):
        return subprocess.run([sys.executable, "-I", str(tmp_path / "kiem_tra.py"), *args], capture_output=True,
                              text=True, env=env, cwd=tmp_path)

    ok = run("goi.zip", "--public-key", entry["pem"])
    assert ok.returncode == 0, ok.stderr
    assert "toàn vẹn" in ok.stdout and entry["fingerprint"] in ok.stdout
    assert run("goi.zip", "--public-key", entry["fingerprint"]).returncode == 0
    other = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert run("goi.zip", "--public-key", package_check.fingerprint(other)).returncode == 1
    files = dict(_files(data))
    files[f"items/{item.pk}.json"] += b" "
    (tmp_path / "sua.zip").write_bytes(_zip(list(files.items())))
    bad = run("sua.zip", "--public-key", entry["fingerprint"])
    assert bad.returncode == 1 and "KHÔNG toàn vẹn" in bad.stderr


def test_official_page_publishes_the_keys_to_anyone(client):
    entry = signing.current()[1]
    page = client.get("/giam-sat/khoa-ky/")
    assert page.status_code == 200
    body = page.content.decode()
    assert entry["fingerprint"] in body and "BEGIN PUBLIC KEY" in body


def test_cli_verify_with_public_key(package, tmp_path, capsys):
    from django.core.management import call_command

    data, _ = package
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    pem = tmp_path / "khoa.pem"
    pem.write_text(signing.current()[1]["pem"])
    call_command("monitoring", "verify", str(path), "--public-key", str(pem))
    assert "toàn vẹn" in capsys.readouterr().out
