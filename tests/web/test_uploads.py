"""The one upload check: type by extension and by content, size, emptiness, text encoding, hash."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cyberyouth.errors import DomainError
from cyberyouth.uploads import check_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ALLOWED = (".png", ".pdf", ".txt")


def test_a_good_file_is_described():
    checked = check_upload(SimpleUploadedFile("thư mục/Ảnh chụp.PNG", PNG), allowed=ALLOWED, max_bytes=1024)
    assert checked.name == "Ảnh chụp.PNG" and checked.ext == ".png" and checked.content_type == "image/png"
    assert checked.size == len(PNG) and checked.sha256 == hashlib.sha256(PNG).hexdigest()


@pytest.mark.parametrize("name, data, code", [
    ("chay.exe", b"MZ\x90\x00", "file_type"),
    ("khong-duoi", PNG, "file_type"),
    ("trang.pdf", b"<html><script>alert(1)</script>", "file_content"),  # a web page renamed .pdf
    ("anh.png", b"\xff\xd8\xff\xe0 a jpeg", "file_content"),
    ("ghi-chu.txt", b"\xff\xfe\x00b\x00i\x00n", "file_content"),  # not UTF-8
    ("ghi-chu.txt", b"abc\x00def", "file_content"),
    ("ghi-chu.txt", "bị bắt nạ".encode()[:-1], "file_content"),  # ends inside a multi-byte letter
    ("rong.png", b"", "file_empty"),
    ("to.png", PNG + b"0" * 2000, "file_size"),
])
def test_refusals_name_the_field_and_the_reason(name, data, code):
    with pytest.raises(DomainError) as exc:
        check_upload(SimpleUploadedFile(name, data), allowed=ALLOWED, max_bytes=1024, field="tep")
    assert exc.value.code == code and exc.value.field == "tep"


def test_utf8_text_split_across_chunks_is_accepted():
    text = ("Bằng chứng bắt nạt trực tuyến. " * 4000).encode()  # > one 64 KiB chunk, multi-byte letters cut
    upload = SimpleUploadedFile("ghi-chu.txt", text)
    assert check_upload(upload, allowed=ALLOWED, max_bytes=1 << 20).size == len(text)
    assert upload.read() == text  # rewound for saving
