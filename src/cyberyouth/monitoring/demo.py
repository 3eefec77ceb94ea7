"""Demo: the channels of Cát Hải institutions and two public sources under monitoring, with
items (comments students might see) run through the engine, a queue, and a few decisions."""

from django.db import transaction

from cyberyouth.channels.models import Channel, Platform
from cyberyouth.orgs.models import Unit, User

from . import services
from .models import ChannelWatch, Outcome, Source

ZONE = "hp-dk-cat-hai"

# (platform, name, address, owner unit code or None)
CHANNELS = [
    (Platform.FACEBOOK_PAGE, "Trường THCS Cát Bà", "https://www.facebook.com/demo.thcscatba", "thcs-cat-ba"),
    (Platform.YOUTUBE, "Đoàn Thanh niên đặc khu Cát Hải", "https://www.youtube.com/@demo.doancathai", "hp-cat-hai-doan"),
    (Platform.WEBSITE, "Trung tâm GDNN - GDTX đặc khu Cát Hải", "https://gdnn-gdtx-cathai.demo.edu.vn/tin-tuc",
     "gdnn-gdtx-cat-hai"),
    (Platform.FACEBOOK_GROUP, "Hội mê game Cát Bà (nhóm công khai)", "https://www.facebook.com/groups/demo.megamecatba",
     None),
    (Platform.TIKTOK, "catba.confession (TikTok)", "https://www.tiktok.com/@demo.catba.confession", None),
]

ITEMS = {
    "https://www.facebook.com/demo.thcscatba": [
        ("post-1", "Nhà trường tổ chức buổi tuyên truyền Quy tắc ứng xử trên mạng xã hội cho học sinh khối 8 và 9.",
         "Trường THCS Cát Bà", None),
        ("c-1", "Hay quá, cảm ơn thầy cô đã tổ chức buổi học bổ ích!", "Phụ huynh Lan Anh", "post-1"),
        ("c-2", "thằng béo lớp 8A ngu như chó, cả lớp tẩy chay nó đi", "minh.kute", "post-1"),
        ("c-3", "Số điện thoại của bạn Hoa lớp 9B là 0912 345 678, nhà ở thôn 3 Xuân Đám, ai muốn làm quen thì gọi",
         "ẩn danh 123", "post-1"),
        ("c-4", "Chúc các em học tốt, giữ gìn văn hóa khi dùng mạng.", "Cô Nguyễn Thị Huệ", "post-1"),
        ("c-5", "đm mấy đứa lớp 9A, tan học ra cổng trường tao đánh cho không trượt phát nào", "tuan.danca", "post-1"),
    ],
    "https://www.youtube.com/@demo.doancathai": [
        ("yt-1", "Video hướng dẫn các bạn đoàn viên bảo vệ tài khoản mạng xã hội rất dễ hiểu.", "Hải Đăng", None),
        ("yt-2", "Nạp thẻ 100k nhận ngay 500k, cá độ bóng đá uy tín nhất, inbox zalo 0987 654 321", "kiemtien.nhanh",
         None),
        ("yt-3", "Mình chán lắm rồi, không muốn sống nữa, chẳng ai hiểu mình cả", "bé mây", None),
        ("yt-4", "Cảm ơn anh chị Đoàn, tháng sau có thêm buổi giao lưu trực tuyến không ạ?", "Thu Trang", None),
    ],
    "https://gdnn-gdtx-cathai.demo.edu.vn/tin-tuc": [
        ("web-1", "Trung tâm thông báo lịch thi kết thúc học phần nghề Điện dân dụng.", "Ban giám đốc", None),
        ("web-2", "Tuyển sinh lớp nghề nấu ăn, hướng dẫn viên du lịch cho thanh niên Cát Bà năm 2025.", "Phòng đào tạo",
         None),
    ],
    "https://www.facebook.com/groups/demo.megamecatba": [
        ("g-1", "Ai chơi game bài đổi thưởng không, vào link nhận code miễn phí, nạp thẻ x3", "shop.code.vip", None),
        ("g-2", "Bán hàng đá, cỏ, giao tận nơi ở Cát Bà, ib", "dealer.cb", None),
        ("g-3", "Có clip nóng của con bé lớp 7 trường mình, ai muốn xem inbox", "anon.9x", None),
        ("g-4", "Tối nay team mình leo rank, ai rảnh vào chơi cùng", "game.thu.cb", None),
        ("g-5", "Lũ người miền đó toàn lừa đảo, đuổi hết về quê đi", "fb.user.8812", None),
    ],
    "https://www.tiktok.com/@demo.catba.confession": [
        ("tt-1", "Confession: mình bị bạn cùng lớp đăng ảnh chế lên nhóm kín rồi cả lớp vào chửi, mình sợ đi học lắm",
         "confession #24", None),
        ("tt-2", "Hôm nay biển Cát Bà đẹp quá mọi người ơi", "confession #25", None),
        ("tt-3", "con nhỏ đó đúng là đồ rẻ rách, ai gặp thì cứ tát cho tao", "confession #26", None),
    ],
}


@transaction.atomic
def load(*, actor) -> None:
    services.categories_ensure_defaults()
    if ChannelWatch.objects.filter(channel__address__in=[c[2] for c in CHANNELS]).exists():
        return
    zone = Unit.objects.filter(code=ZONE).first()
    if zone is None:
        return
    units = {u.code: u for u in Unit.objects.filter(code__in=[c[3] for c in CHANNELS if c[3]])}
    for platform, name, address, owner_code in CHANNELS:
        owner = units.get(owner_code) if owner_code else None
        channel = services.monitored_source_add(
            actor=actor, platform=platform, name=name, address=address, zone_unit=zone, owner_unit=owner,
            fetch_interval_minutes=60)
        if owner is not None and not channel.owner_unit_id:
            Channel.objects.filter(pk=channel.pk).update(owner_unit=owner, is_official=True)
            channel.owner_unit = owner
        rows = ITEMS[address]
        posts = [r for r in rows if r[3] is None]
        comments = [r for r in rows if r[3] is not None]
        for batch in (posts, comments):
            if batch:
                services.ingest(channel=channel, source=Source.IMPORT, actor=actor, entries=[
                    {"external_id": ext, "url": f"{address}/{ext}", "author": author, "text": text,
                     "parent_external_id": parent or "", "published_at": "2025-09-15T08:00:00+07:00"}
                    for ext, text, author, parent in batch
                ])
    _demo_decisions()


def _demo_decisions() -> None:
    """A few decisions by the demo moderator, so that history and statistics are not empty."""
    from .models import Item, ItemState

    moderator = User.objects.filter(username="kiemduyet").first()
    if moderator is None:
        return
    plan = [("c-4", Outcome.DISMISS, "", "Lời chúc của giáo viên, không vi phạm."),
            ("yt-2", Outcome.CONFIRM, "gambling", "Quảng cáo cá độ, nạp thẻ đổi thưởng nhắm tới học sinh."),
            ("g-4", Outcome.DISMISS, "", "Rủ chơi game bình thường, không vi phạm.")]
    for ext, outcome, category, reason in plan:
        item = Item.objects.filter(external_id=ext, channel__watch__isnull=False).first()
        if item is None:
            continue
        if item.state != ItemState.OPEN:
            # The engine did not queue it; a person still reviews the demo examples.
            Item.objects.filter(pk=item.pk).update(state=ItemState.OPEN)
        services.item_claim(actor=moderator, item_id=item.pk)
        services.item_decide(actor=moderator, item_id=item.pk, outcome=outcome, reason=reason, category=category)
