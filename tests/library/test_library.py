"""The media library: the one upload check for media files, approval by a second person, the
public e-library (published only), counting without personal data, citations, scope, API, and
task group 5 of the yearly report equal to the library page."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cyberyouth.errors import DomainError, NotFound, ScopeError
from cyberyouth.library import selectors, services
from cyberyouth.library.artwork import infographic_png
from cyberyouth.library.models import Citation, Product, ProductDay, Status
from cyberyouth.uploads import check_upload

pytestmark = pytest.mark.django_db


def png(name: str = "a.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, infographic_png("Tiêu đề", ["Một ý"], "chân trang"), content_type="image/png")


def product(actor, unit, **extra):
    fields = dict(title="An toàn khi chơi game trực tuyến", kind="info_graphic", topic="safety", author="Lớp 9A",
                  licence="cc-by", made_on=date(2026, 5, 1), upload=png())
    fields.update(extra)
    return services.product_create(actor=actor, unit=unit, **fields)


# ---------------------------------------------------------------- the one upload check, for media


def epub(*, first: str = "mimetype", content: bytes = b"application/epub+zip") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo(first), content)  # stored, as OCF requires for the mimetype
        z.writestr("META-INF/container.xml", "<container/>")
    return buf.getvalue()


@pytest.mark.parametrize("name,data", [
    ("phim.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64),
    ("clip.webm", b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x00" * 64),
    ("sach.epub", epub()),
    ("anh.gif", b"GIF89a\x01\x00\x01\x00" + b"\x00" * 32),
    ("anh.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32),
    ("mo-hinh.glb", b"glTF\x02\x00\x00\x00" + b"\x00" * 32),
])
def test_media_types_pass_the_upload_check_by_content(name, data):
    checked = check_upload(SimpleUploadedFile(name, data), allowed=services.ALLOWED, max_bytes=10**6)
    assert checked.ext == "." + name.rsplit(".", 1)[1]


@pytest.mark.parametrize("name,data,code", [
    ("phim.mp4", b"<html><script>alert(1)</script></html>" + b" " * 40, "file_content"),
    ("clip.webm", b"GIF89a" + b"\x00" * 40, "file_content"),
    ("sach.epub", epub(first="readme.txt", content=b"hello"), "file_content"),
    ("anh.webp", b"RIFF\x24\x00\x00\x00AVI LIST" + b"\x00" * 32, "file_content"),
    ("anh.svg", b"<svg onload='alert(1)'/>", "file_type"),
    ("trang.html", b"<html></html>", "file_type"),
])
def test_a_renamed_or_unsafe_file_is_refused(name, data, code):
    with pytest.raises(DomainError) as e:
        check_upload(SimpleUploadedFile(name, data), allowed=services.ALLOWED, max_bytes=10**6)
    assert e.value.code == code


def test_a_product_needs_a_file_or_a_link_and_its_facts(people, units):
    fp, school = people["daumoi.thcscatba"], units["thcs-cat-ba"]
    with pytest.raises(DomainError) as e:
        product(fp, school, upload=None, link="")
    assert e.value.field == "file"
    with pytest.raises(DomainError) as e:
        product(fp, school, upload=None, link="javascript:alert(1)")
    assert e.value.field == "link"
    with pytest.raises(DomainError) as e:
        product(fp, school, licence="other", licence_other="")
    assert e.value.field == "licence_other"
    with pytest.raises(DomainError) as e:
        product(fp, school, made_on=date(2999, 1, 1))
    assert e.value.field == "made_on"
    with pytest.raises(DomainError) as e:
        product(fp, school, upload=SimpleUploadedFile("a.png", b"<html>not a picture</html>"))
    assert e.value.field == "file" and e.value.code == "file_content"
    assert not Product.objects.filter(title="An toàn khi chơi game trực tuyến").exists()


# ---------------------------------------------------------------- approval by a second person


def test_approval_needs_a_second_person_with_the_capability(people, units):
    fp, school = people["daumoi.thcscatba"], units["thcs-cat-ba"]
    item = product(fp, school, submit=True)
    assert item.status == Status.PENDING
    with pytest.raises(ScopeError):  # a focal point does not approve
        services.product_approve(actor=fp, product=item)
    admin = people["thuongtruc"]
    own = product(admin, school, title="Sản phẩm của thường trực", submit=True)
    with pytest.raises(ScopeError):  # who recorded it does not approve it
        services.product_approve(actor=admin, product=own)
    with pytest.raises(DomainError):
        services.product_return(actor=admin, product=item, comment="")
    returned = services.product_return(actor=admin, product=item, comment="Thiếu nguồn ảnh.")
    assert returned.status == Status.RETURNED
    with pytest.raises(DomainError):  # not pending: cannot be approved before it is sent again
        services.product_approve(actor=admin, product=returned)
    fixed = services.product_update(actor=fp, product=returned, description="Ảnh do học sinh tự chụp.")
    services.product_submit(actor=fp, product=fixed)
    published = services.product_approve(actor=people["doan"], product=fixed)  # the Youth Union approves too
    assert published.status == Status.PUBLISHED and published.approved_by == people["doan"]
    with pytest.raises(DomainError):  # a published product is no longer edited
        services.product_update(actor=fp, product=published, title="Khác")


def test_only_published_products_are_public(client, client_for, people, units):
    fp, school = people["daumoi.thcscatba"], units["thcs-cat-ba"]
    item = product(fp, school, title="Bản nháp chưa duyệt", submit=True)
    url = reverse("library:product", args=[item.pk])
    assert client.get(url).status_code == 404  # anonymous
    assert client_for("daumoi.thcscathai").get(url).status_code == 404  # another school
    assert client_for("daumoi.thcscatba").get(url).status_code == 200  # its own unit
    assert client.get(reverse("library:file", args=[item.pk])).status_code == 404
    assert "Bản nháp chưa duyệt" not in client.get(reverse("library:index")).content.decode()
    services.product_approve(actor=people["thuongtruc"], product=item)
    assert client.get(url).status_code == 200
    assert "Bản nháp chưa duyệt" in client.get(reverse("library:index")).content.decode()
    services.product_withdraw(actor=people["thuongtruc"], product=item, reason="Hết thời hạn giấy phép.")
    assert client.get(url).status_code == 404


def test_the_public_search_tolerates_missing_diacritics_and_filters(client):
    html = client.get(reverse("library:index"), {"q": "nhan dien tin gia"}).content.decode()
    assert "5 bước nhận diện tin giả" in html and "mốc son lịch sử" not in html
    html = client.get(reverse("library:index"), {"loai": "e_book"}).content.decode()
    assert "Cẩm nang phòng, chống lừa đảo" in html and "5 bước nhận diện tin giả" not in html
    html = client.get(reverse("library:index"), {"chu_de": "history", "doi_tuong": "everyone"}).content.decode()
    assert "mốc son lịch sử" in html and "Tham quan ảo" not in html  # the VR tour awaits approval


def test_a_student_sees_the_library_on_a_phone_width_page(client_for):
    html = client_for("hocsinh").get(reverse("library:index")).content.decode()
    assert 'name="viewport"' in html and 'class="shelf"' in html


# ---------------------------------------------------------------- counting, nothing about the viewer


def test_views_are_counted_once_per_browser_and_downloads_each_time(client, people, units):
    item = Product.objects.filter(status=Status.PUBLISHED).exclude(file="").first()
    before_views, before_downloads = item.views, item.downloads
    url = reverse("library:product", args=[item.pk])
    client.get(url)
    client.get(url)  # the same browser again: its own cookie says it saw it
    item.refresh_from_db()
    assert item.views == before_views + 1
    response = client.get(reverse("library:download", args=[item.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    b"".join(response.streaming_content)
    item.refresh_from_db()
    assert item.downloads == before_downloads + 1
    day = ProductDay.objects.get(product=item, day=date.today())
    assert day.views >= 1 and day.downloads >= 1
    # what is kept per day: counts, never who
    assert {f.name for f in ProductDay._meta.get_fields()} == {"id", "product", "day", "views", "downloads"}


def test_opening_a_link_counts_and_redirects(client):
    item = Product.objects.filter(status=Status.PUBLISHED, file="").exclude(link="").first()
    response = client.get(reverse("library:open_link", args=[item.pk]))
    assert response.status_code == 302 and response["Location"] == item.link
    assert Product.objects.get(pk=item.pk).downloads == item.downloads + 1


def test_a_draft_is_never_counted(people, units):
    item = product(people["daumoi.thcscatba"], units["thcs-cat-ba"])
    services.count_view(product=item)
    services.count_download(product=item)
    item.refresh_from_db()
    assert (item.views, item.downloads) == (0, 0) and not ProductDay.objects.filter(product=item).exists()


# ---------------------------------------------------------------- citations


def test_a_campaign_cites_a_published_product_and_its_page_shows_it(client_for, people, units):
    from cyberyouth.campaigns.models import Campaign

    campaign = Campaign.objects.order_by("id").first()
    ebook = Product.objects.get(title="Cẩm nang phòng, chống lừa đảo trực tuyến cho học viên")
    c = client_for("thuongtruc")
    page = reverse("campaigns:campaign", args=[campaign.pk])
    response = c.post(reverse("library:cite"), {"target_kind": "campaign", "target_id": campaign.pk,
                                                "product": ebook.pk, "next": page})
    assert response.status_code == 302 and response["Location"] == page
    html = c.get(page).content.decode()
    assert "Sản phẩm truyền thông sử dụng" in html and ebook.title in html
    assert "Sản phẩm truyền thông" not in html.split("</title>")[0]  # in the page's body, not its title
    assert any(x.title == campaign.title for x in selectors.cited_by(actor=people["thuongtruc"], product=ebook))
    with pytest.raises(DomainError):  # cited once
        services.cite(actor=people["thuongtruc"], product=ebook, target_kind="campaign", target_id=campaign.pk)
    # the leader cites in nothing: refused before anything is read; a school's focal point may
    # cite in its own sessions, but the zone's campaign is not theirs to see
    form = {"target_kind": "campaign", "target_id": campaign.pk, "product": ebook.pk}
    assert client_for("lanhdao").post(reverse("library:cite"), form).status_code == 403
    assert client_for("daumoi.thcscatba").post(reverse("library:cite"), form).status_code == 404
    draft = product(people["daumoi.thcscatba"], units["thcs-cat-ba"])
    with pytest.raises(NotFound):  # not published: the citer may not even see it
        services.cite(actor=people["thuongtruc"], product=selectors.visible_product(
            actor=people["daumoi.thcscathai"], product_id=draft.pk), target_kind="campaign", target_id=campaign.pk)
    with pytest.raises(DomainError):
        services.cite(actor=people["thuongtruc"], product=draft, target_kind="campaign", target_id=campaign.pk)
    with pytest.raises(DomainError):
        services.cite(actor=people["thuongtruc"], product=ebook, target_kind="no_such_kind", target_id=1)
    citation = Citation.objects.get(product=ebook, target_kind="campaign", target_id=campaign.pk)
    c.post(reverse("library:uncite", args=[citation.pk]), {"next": page})
    assert not Citation.objects.filter(pk=citation.pk).exists()


def test_a_propaganda_session_can_cite_too(people, units):
    from cyberyouth.students.models import ConductSession, SchoolYear

    school = units["thcs-cat-ba"]
    session = ConductSession.objects.filter(unit=school).first() or ConductSession.objects.create(
        unit=school, school_year=SchoolYear.objects.order_by("-id").first(), held_on=date(2025, 10, 6), form="flag")
    item = Product.objects.get(title="Quy tắc ứng xử trên mạng xã hội — 4 điều học sinh cần nhớ")
    services.cite(actor=people["daumoi.thcscatba"], product=item, target_kind="conduct_session", target_id=session.pk)
    labels = [x.label for x in selectors.cited_by(actor=people["daumoi.thcscatba"], product=item)]
    assert "Buổi tuyên truyền Quy tắc ứng xử" in labels
    with pytest.raises(NotFound):  # another school's session
        services.cite(actor=people["daumoi.thcscathai"], product=item, target_kind="conduct_session",
                      target_id=session.pk)


def test_a_dialogue_cites_a_product_on_its_page(client_for, people):
    from cyberyouth.dialogues.models import Dialogue
    from cyberyouth.orgs.models import User

    dialogue = Dialogue.objects.filter(unit__code="thpt-cat-ba").order_by("id").first()
    item = Product.objects.get(title="Quy tắc ứng xử trên mạng xã hội — 4 điều học sinh cần nhớ")
    school = client_for("daumoi.thptcatba")
    page = reverse("dialogues:detail", args=[dialogue.pk])
    response = school.post(reverse("library:cite"), {"target_kind": "dialogue", "target_id": dialogue.pk,
                                                     "product": item.pk, "next": page})
    assert response.status_code == 302
    assert item.title in school.get(page).content.decode()
    focal = User.objects.get(username="daumoi.thptcatba")
    assert "Buổi đối thoại" in [x.label for x in selectors.cited_by(actor=focal, product=item)]
    with pytest.raises(NotFound):  # another school's dialogue
        services.cite(actor=people["daumoi.thcscatba"], product=item, target_kind="dialogue", target_id=dialogue.pk)


# ---------------------------------------------------------------- the API


def test_api_public_list_needs_no_sign_in_and_staff_lists_are_scoped(client, api_for, people, units):
    public = client.get("/api/library/public").json()
    assert public and all(p["status"] == "published" for p in public)
    draft = product(people["daumoi.thcscatba"], units["thcs-cat-ba"], title="Nháp của Cát Bà")
    mine = api_for("daumoi.thcscatba").get("/api/library/products").json()
    assert draft.pk in {p["id"] for p in mine} and {p["unit"] for p in mine} == {"thcs-cat-ba"}
    other = api_for("daumoi.thcscathai")
    assert draft.pk not in {p["id"] for p in other.get("/api/library/products").json()}
    assert other.get(f"/api/library/products/{draft.pk}").status_code == 404
    assert api_for("hocsinh").get("/api/library/products").status_code == 403


def test_api_records_a_file_and_refuses_self_approval(api_for):
    api = api_for("thuongtruc")
    response = api.post("/api/library/products", {
        "unit": "thcs-cat-hai", "title": "Infographic qua API", "kind": "info_graphic", "topic": "conduct",
        "author": "Phòng Văn hóa - Xã hội", "licence": "cc0", "made_on": "2026-06-01", "submit": "true",
        "file": png("qua-api.png")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["content_type"] == "image/png" and len(body["sha256"]) == 64
    refused = api.post(f"/api/library/products/{body['id']}/approve", {}, content_type="application/json")
    assert refused.status_code == 403
    ok = api_for("doan").post(f"/api/library/products/{body['id']}/approve", {"comment": "Đạt"},
                              content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "published"
    bad = api.post("/api/library/products", {
        "unit": "thcs-cat-hai", "title": "Video giả", "kind": "video_clip", "topic": "safety", "author": "X",
        "licence": "cc-by", "made_on": "2026-06-01",
        "file": SimpleUploadedFile("video.mp4", b"<html>not a video</html>" + b" " * 40)})
    assert bad.status_code == 400 and bad.json()["detail"][0]["code"] == "file_content"


# ---------------------------------------------------------------- task group 5 in the yearly report


def test_the_yearly_report_prints_the_library_page_figures(client_for, people):
    from docx import Document

    from cyberyouth.library.reporting import sentence
    from cyberyouth.reports import services as report_services

    page = client_for("thuongtruc").get(reverse("library:manage"), {"nam": 2025, "don_vi": "hp-dk-cat-hai"})
    figures = page.context["figures"]
    assert figures.published >= 5 and figures.views > 0
    document = report_services.document_generate_now(actor=people["thuongtruc"], kind="yearly", year=2025,
                                                     want_pdf=False, on=date(2025, 12, 20))
    with document.docx.open("rb") as f:
        text = "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)
    assert sentence(figures, is_school=False) in text
    assert f"Thư viện sản phẩm truyền thông năm 2025: {figures.published} sản phẩm" in text


def test_a_student_with_a_record_finds_the_library_on_their_home(client_for):
    from cyberyouth.students.models import Student

    student = Student.objects.filter(user__isnull=False, user__is_active=True).select_related("user").first()
    assert student is not None  # the demo's student with consent and an account
    html = client_for(student.user.username).get(reverse("students:home")).content.decode()
    assert "Thư viện điện tử" in html and reverse("library:index") in html
