"""XLSX import of posts: all or nothing, dates as text refused, another unit's channel refused,
the same post (in the file twice, or already in the ledger) counted once."""

import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from cyberyouth.campaigns import services
from cyberyouth.campaigns.models import Post
from cyberyouth.errors import DomainError


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(services.XLSX_COLUMNS))
    for row in rows:
        ws.append(row)
    data = io.BytesIO()
    wb.save(data)
    return SimpleUploadedFile("bai-dang.xlsx", data.getvalue())


def test_a_good_file_imports_and_duplicates_count_once(db, people, units, channel_of):
    channel = channel_of(units["thcs-cat-ba"])
    a = f"{channel.address}/posts/1"
    created, duplicates = services.posts_import_xlsx(actor=people["daumoi.thcscatba"], upload=_xlsx([
        [channel.address, a, datetime(2026, 3, 2, 8, 0), "Tin tốt", 100, 5, 1],
        [channel.address, a + "/?utm_source=zalo", datetime(2026, 3, 2, 8, 0), "Tin tốt", 100, 5, 1],
        [channel.address, f"{channel.address}/posts/2", datetime(2026, 3, 3, 23, 30), "Chuyện đẹp", None, None, None],
    ]))
    assert (created, duplicates) == (2, 1)
    assert Post.objects.get(url=a).day.isoformat() == "2026-03-02"
    assert Post.objects.get(url=f"{channel.address}/posts/2").day.isoformat() == "2026-03-03"  # naive = Viet Nam time


@pytest.mark.parametrize("bad_row", [
    ["{address}", "{address}/posts/9", "02/03/2026 08:00", "ngày gõ bằng chữ", None, None, None],
    ["https://www.facebook.com/trang.thcs-cat-hai", "https://www.facebook.com/trang.thcs-cat-hai/posts/1",
     datetime(2026, 3, 2, 8, 0), "kênh của trường khác", None, None, None],
    ["{address}", "https://example.vn/bai", datetime(2026, 3, 2, 8, 0), "liên kết ngoài kênh", None, None, None],
    ["{address}", "{address}/posts/9", datetime(2026, 3, 2, 8, 0), "số âm", -3, None, None],
])
def test_one_bad_row_imports_nothing(db, people, units, channel_of, bad_row):
    channel = channel_of(units["thcs-cat-ba"])
    channel_of(units["thcs-cat-hai"])
    bad_row = [v.format(address=channel.address) if isinstance(v, str) else v for v in bad_row]
    with pytest.raises(DomainError) as error:
        services.posts_import_xlsx(actor=people["daumoi.thcscatba"], upload=_xlsx([
            [channel.address, f"{channel.address}/posts/1", datetime(2026, 3, 2, 8, 0), "tốt", None, None, None],
            bad_row]))
    assert "Dòng 3" in error.value.message
    assert not Post.objects.filter(channel=channel).exists()


def test_not_a_workbook_is_refused(db, people):
    with pytest.raises(DomainError):
        services.posts_import_xlsx(actor=people["daumoi.thcscatba"],
                                   upload=SimpleUploadedFile("bai-dang.xlsx", b"khong phai excel"))


def test_the_page_answers_in_vietnamese(db, units, channel_of, client_for):
    channel = channel_of(units["thcs-cat-ba"])
    response = client_for("daumoi.thcscatba").post("/chien-dich/bai-dang/nhap-excel/", {"file": _xlsx([
        [channel.address, f"{channel.address}/posts/1", "hôm qua", "x", None, None, None]])}, follow=True)
    assert "phải là ô ngày giờ của Excel" in response.content.decode()
    assert client_for("lanhdao").post("/chien-dich/bai-dang/nhap-excel/").status_code == 403
