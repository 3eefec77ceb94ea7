"""The moderator's flow in a real chromium: claim the worst item, see the highlighted spans,
confirm it with a reason, export the evidence package; `verify` accepts it, rejects a tampered copy."""

import json
import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_moderator_claims_confirms_and_exports_evidence(browser_site, tmp_path):
    from cyberyouth.monitoring.models import Decision, Item

    page = browser_site.login("kiemduyet")
    page.get_by_role("link", name="Kiểm duyệt", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Hàng đợi kiểm duyệt")
    first_row = page.locator("table.queue tbody tr").first
    first_row.locator("td a").first.click()
    item_id = int(page.url.rstrip("/").rsplit("/", 1)[-1])

    # The spans that drove the verdict are highlighted in the text.
    marks = page.locator("#item-text mark.hl")
    expect(marks.first).to_be_visible()
    item = Item.objects.get(pk=item_id)
    first_span = sorted(item.spans + [{**p, "category": "personal_data"} for p in item.personal_data],
                        key=lambda s: s["start"])[0]
    expect(marks.first).to_contain_text(item.text[first_span["start"]:first_span["end"]].strip()[:5])

    page.get_by_role("button", name="Nhận xử lý").click()
    expect(page.locator(".messages")).to_contain_text("Bạn đã nhận xử lý")
    page.locator("input[name=outcome][value=confirm]").check()
    page.select_option("#id_category", item.top_category)
    page.fill("#id_reason", "Nội dung nguy hiểm với học sinh, cần xử lý ngay")
    page.get_by_role("button", name="Ghi quyết định").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi quyết định")
    expect(page.locator("ul.decisions")).to_contain_text("Nội dung nguy hiểm với học sinh")
    decision = Decision.objects.get(item_id=item_id)
    assert decision.outcome == "confirm" and decision.moderator.username == "kiemduyet"

    with page.expect_download() as download_info:
        page.locator("#export-evidence").click()
    package = tmp_path / "chung-cu.zip"
    download_info.value.save_as(package)
    call_command("monitoring", "verify", str(package))  # exit 0

    tampered = tmp_path / "sua.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == f"items/{item_id}.json":
                record = json.loads(data)
                record["decisions"][0]["outcome"] = "dismiss"
                data = json.dumps(record, ensure_ascii=False).encode()
            dst.writestr(name, data)
    with pytest.raises(SystemExit) as exc:
        call_command("monitoring", "verify", str(tampered))
    assert exc.value.code == 1
