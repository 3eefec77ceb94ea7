"""Demo products of the media library: infographics and e-books drawn here (real PNG and PDF
files that pass the upload check), videos and a VR tour as links to the units' channels; most
approved by the standing agency in 2025–2026, one waiting for approval, one returned, one draft;
views and downloads by day; a campaign that cites two of them."""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cyberyouth.orgs.models import Unit, User

from . import artwork, services
from .models import Audience, Citation, Kind, Licence, Product, ProductDay, Status, Topic

# unit, author account, title, kind, topic, audience, author, licence, made on, file (kind, content) or link, state
FAKE_NEWS = ["Kiểm tra nguồn tin: trang chính thức hay tài khoản lạ?", "Đọc kỹ nội dung, không chỉ đọc tiêu đề giật gân.",
             "Xem ngày đăng, đối chiếu với báo chí chính thống.", "Cảnh giác với ảnh, video bị cắt ghép.",
             "Chưa chắc chắn thì không chia sẻ; báo cho thầy cô, cha mẹ."]
CONDUCT = ["Tôn trọng, tuân thủ pháp luật; không đăng tin sai sự thật.", "Ứng xử văn minh, lành mạnh, phù hợp thuần "
           "phong mỹ tục.", "Bảo vệ tài khoản, thông tin cá nhân của mình và của bạn bè.",
           "Chia sẻ thông tin từ nguồn chính thống; chịu trách nhiệm về điều mình đăng."]
HISTORY = ["1/4/1959: Chủ tịch Hồ Chí Minh thăm đảo Cát Bà, căn dặn giữ gìn rừng, biển.",
           "Ngày 1/4 hằng năm là Ngày truyền thống của huyện đảo Cát Hải.",
           "Quần đảo Cát Bà là Khu dự trữ sinh quyển thế giới (UNESCO, 2004).",
           "Thế hệ trẻ Cát Hải tiếp bước: giữ đảo xanh, biển sạch, không gian mạng lành mạnh."]
SCAMS = [("Chiêu lừa “trúng thưởng”", ["Tin nhắn báo trúng thưởng, yêu cầu nộp phí nhận quà.",
                                        "Không nộp tiền, không bấm đường link lạ."]),
         ("Chiêu lừa “việc nhẹ lương cao”", ["Tuyển cộng tác viên làm nhiệm vụ trên mạng, đòi đặt cọc.",
                                             "Học sinh không chuyển tiền; kể với cha mẹ, thầy cô."]),
         ("Mạo danh người quen", ["Tài khoản bị chiếm quyền nhắn vay tiền, xin mã OTP.",
                                  "Gọi điện xác minh; không bao giờ đưa mã OTP cho ai."]),
         ("Khi đã lỡ bị lừa", ["Chụp lại tin nhắn, giao dịch; báo ngay cho cha mẹ, nhà trường.",
                               "Gọi Tổng đài 111 hoặc trình báo Công an gần nhất."])]

PRODUCTS = [
    ("hp-cat-hai-doan", "doan", "5 bước nhận diện tin giả trên mạng xã hội", Kind.INFOGRAPHIC, Topic.SAFETY,
     Audience.STUDENTS, "Ban Thường vụ Đoàn đặc khu Cát Hải", Licence.CC_BY_NC, date(2025, 3, 10),
     ("png", ("5 bước nhận diện tin giả trên mạng xã hội", FAKE_NEWS, 0)), "published"),
    ("thcs-cat-ba", "daumoi.thcscatba", "Quy tắc ứng xử trên mạng xã hội — 4 điều học sinh cần nhớ", Kind.INFOGRAPHIC,
     Topic.CONDUCT, Audience.STUDENTS, "Liên đội Trường THCS Cát Bà", Licence.CC_BY_SA, date(2025, 4, 2),
     ("png", ("Quy tắc ứng xử trên mạng xã hội: 4 điều cần nhớ", CONDUCT, 2)), "published"),
    ("thcs-cat-hai", "daumoi.thcscathai", "Cát Hải — những mốc son lịch sử", Kind.INFOGRAPHIC, Topic.HISTORY,
     Audience.EVERYONE, "Tổ Lịch sử – Địa lí, Trường THCS Cát Hải", Licence.CC_BY, date(2025, 3, 28),
     ("png", ("Cát Hải — những mốc son lịch sử", HISTORY, 3)), "published"),
    ("gdnn-gdtx-cat-hai", "daumoi.gdnn", "Cẩm nang phòng, chống lừa đảo trực tuyến cho học viên", Kind.EBOOK,
     Topic.SAFETY, Audience.STUDENTS, "Trung tâm GDNN-GDTX Cát Hải", Licence.CC_BY_NC_ND, date(2025, 9, 5),
     ("pdf", (SCAMS, 1)), "published"),
    ("cd-du-lich-cat-ba", None, "Bác Hồ với Cát Bà — phim tư liệu ngắn", Kind.FILM, Topic.HISTORY,
     Audience.STUDENTS, "Câu lạc bộ Truyền thông, Phân hiệu Cát Bà - Trường Cao đẳng Du lịch Hải Phòng",
     Licence.ALL_RIGHTS, date(2025, 3, 25), "https://www.facebook.com/doanthanhnien.cdducatba/videos", "published"),
    ("gdnn-gdtx-cat-hai", "daumoi.gdnn", "Mỗi ngày một tin tốt — motion graphic phát động", Kind.MOTION,
     Topic.ETHICS, Audience.EVERYONE, "Đoàn Thanh niên Trung tâm GDNN-GDTX Cát Hải", Licence.CC_BY,
     date(2025, 10, 10), "https://www.facebook.com/gdnngdtxcathai/videos", "published"),
    ("thcs-cat-ba", "daumoi.thcscatba", "Tham quan ảo Khu di tích Bác Hồ thăm Cát Bà (360°)", Kind.VR, Topic.HISTORY,
     Audience.STUDENTS, "Đoàn trường THCS Cát Bà", Licence.CC_BY_NC, date(2026, 3, 20),
     "https://www.facebook.com/thcscatba", "pending"),
    ("gdnn-gdtx-cat-hai", "daumoi.gdnn", "Triển lãm ảnh: Thanh niên tình nguyện Cát Hải", Kind.EXHIBITION,
     Topic.HEROES, Audience.EVERYONE, "Đoàn Thanh niên Trung tâm GDNN-GDTX Cát Hải", Licence.OTHER,
     date(2026, 7, 27), "https://www.facebook.com/gdnngdtxcathai", "returned"),
    ("thcs-cat-hai", "daumoi.thcscathai", "Video clip: Mật khẩu mạnh — tài khoản an toàn", Kind.CLIP, Topic.SAFETY,
     Audience.STUDENTS, "Lớp 8A, Trường THCS Cát Hải", Licence.CC_BY, date(2026, 11, 20),
     "https://www.facebook.com/liendoithcscathai", "draft"),
]


def _upload(spec, title: str) -> SimpleUploadedFile:
    kind, args = spec
    if kind == "png":
        heading, points, palette = args
        return SimpleUploadedFile("infographic.png", artwork.infographic_png(
            heading, points, "Thư viện điện tử Cát Hải · " + title[:40], palette=palette), content_type="image/png")
    pages, palette = args
    return SimpleUploadedFile("cam-nang.pdf", artwork.booklet_pdf(pages, "Cẩm nang phòng, chống lừa đảo",
                                                                  palette=palette), content_type="application/pdf")


@transaction.atomic
def load(*, actor) -> None:
    if Product.objects.exists():
        return
    units = {u.code: u for u in Unit.objects.filter(code__in={p[0] for p in PRODUCTS})}
    people = {u.username: u for u in User.objects.filter(username__in={"doan", "daumoi.thcscatba", "daumoi.gdnn",
                                                                         "daumoi.thcscathai", "thuongtruc"})}
    approver = people.get("thuongtruc")
    if approver is None or len(units) < len({p[0] for p in PRODUCTS}):
        return
    rng = random.Random(5)
    today = timezone.localdate()
    for code, author_account, title, kind, topic, audience, author, licence, made_on, source, state in PRODUCTS:
        by = people.get(author_account) if author_account else actor
        upload = _upload(source, title) if isinstance(source, tuple) else None
        product = services.product_create(
            actor=by or actor, unit=units[code], title=title, kind=kind, topic=topic, audience=audience, author=author,
            licence=licence, licence_other="Được phép chia sẻ nguyên vẹn, ghi rõ tác giả" if licence == Licence.OTHER
            else "", made_on=made_on, link="" if upload else source, upload=upload, submit=state != "draft",
            description=f"{kind.label} do {author} thực hiện, phục vụ nhóm nhiệm vụ 5 của Kế hoạch.")
        if state == "published":
            services.product_approve(actor=approver, product=product, comment="Nội dung chính xác, phù hợp học sinh.")
            published = timezone.make_aware(datetime.combine(made_on + timedelta(days=rng.randint(3, 12)), time(9)))
            Product.objects.filter(pk=product.pk).update(published_at=published)
            days = []
            day = published.date()
            while day <= today:
                if rng.random() < 0.35:
                    days.append(ProductDay(product=product, day=day, views=rng.randint(1, 25),
                                           downloads=rng.randint(0, 6)))
                day += timedelta(days=1)
            ProductDay.objects.bulk_create(days)
            Product.objects.filter(pk=product.pk).update(views=sum(d.views for d in days),
                                                         downloads=sum(d.downloads for d in days))
        elif state == "returned":
            services.product_return(actor=approver, product=product,
                                    comment="Bổ sung chú thích tên người trong ảnh và xin phép người được chụp.")
    _cite(approver)


def _cite(actor) -> None:
    """The 2025 campaign for the Day of the special zone's tradition cites two products, if it exists."""
    from django.apps import apps

    if not apps.is_installed("cyberyouth.campaigns"):
        return
    from cyberyouth.campaigns.models import Campaign

    campaign = Campaign.objects.filter(start__year=2025).order_by("start").first() or Campaign.objects.first()
    if campaign is None:
        return
    for title in ("Cát Hải — những mốc son lịch sử", "5 bước nhận diện tin giả trên mạng xã hội"):
        product = Product.objects.filter(title=title, status=Status.PUBLISHED).first()
        if product is None or Citation.objects.filter(product=product, target_kind="campaign",
                                                      target_id=campaign.pk).exists():
            continue
        citation = services.cite(actor=actor, product=product, target_kind="campaign", target_id=campaign.pk,
                                 note="Tài liệu đăng kèm bài phát động")
        created = timezone.make_aware(datetime.combine(max(campaign.start, product.made_on), time(8)))
        Citation.objects.filter(pk=citation.pk).update(created_at=created)
