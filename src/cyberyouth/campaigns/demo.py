"""Demo: months of posts on Cát Hải institutions' channels, with gaps (a school silent for a month,
weekends missed), most marked by the units, the last days left for the focal points to mark; a
peak week for 19/5 launched by the Youth Union; a commendation decision (the vocational centre
and one of its teachers, proposed by the centre, approved by the standing agency) and a
proposal of the standing agency for the college, waiting for another approver."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cyberyouth.channels.models import Channel
from cyberyouth.orgs import selectors as org_selectors
from cyberyouth.orgs.models import Unit, User

from . import facts, services
from .models import CommemorativeDay, Post, PostKind, PostSource

# owner code, channel address, share of days with a post, silent months
INSTITUTIONS = [
    ("gdnn-gdtx-cat-hai", "https://www.facebook.com/gdnngdtxcathai", 0.9, ()),
    ("cd-du-lich-cat-ba", "https://www.facebook.com/doanthanhnien.cdducatba", 0.65, (7,)),
    ("th-cat-ba", "https://thcatba.haiphong.edu.vn", 0.45, (6, 7)),
    ("thpt-cat-ba", "https://www.youtube.com/@thptcatba", 0.3, ()),
]
GOOD = ["Đoàn trường tổ chức tuyên truyền Nghị quyết của Đảng về phát triển kinh tế biển",
        "Học sinh tham gia ngày hội Thanh niên với văn hóa giao thông",
        "Triển khai chương trình chuyển đổi số trong nhà trường",
        "Ra quân chiến dịch thanh niên tình nguyện hè, làm sạch bãi biển Cát Cò",
        "Tuyên truyền phòng chống lừa đảo trên không gian mạng cho học sinh"]
STORY = ["Em học sinh nghèo vượt khó đạt học sinh giỏi cấp thành phố",
         "Nữ sinh nhặt được ví tiền trả lại người đánh rơi",
         "Thầy giáo 20 năm bám đảo dạy chữ cho con em ngư dân",
         "Cựu học sinh trở về quê hương mở lớp dạy bơi miễn phí"]
OTHER = ["Thông báo lịch nghỉ lễ", "Lịch kiểm tra cuối kỳ", "Thông báo tuyển sinh lớp nghề"]
UNMARKED_DAYS = 10  # the most recent posts wait for the focal points


def _url(address: str, n: int) -> str:
    if "youtube.com" in address:
        return f"https://www.youtube.com/watch?v=demo{n:05d}"
    return f"{address.rstrip('/')}/posts/{n}" if "facebook.com" in address else f"{address}/tin-tuc/bai-{n}"


@transaction.atomic
def load(*, actor) -> None:
    if Post.objects.exists():
        return
    rng = random.Random(311)
    today = org_selectors.today()
    start = today.replace(month=1, day=1) if today.month > 5 else today.replace(year=today.year - 1, month=9, day=1)
    posts, n = [], 0
    for code, address, share, silent in INSTITUTIONS:
        channel = Channel.objects.filter(address=address, owner_unit__code=code).first()
        if channel is None:
            continue
        day = max(start, channel.active_since or start)
        while day < today:
            if day.month not in silent and rng.random() < share:
                for kind, texts in ((PostKind.GOOD_NEWS, GOOD), (PostKind.NEITHER, OTHER)):
                    if kind == PostKind.NEITHER and rng.random() > 0.2:
                        continue
                    if day.weekday() == 2 and rng.random() < share:  # a story mid-week, most weeks
                        kind, texts = PostKind.STORY, STORY
                    n += 1
                    at = timezone.make_aware(datetime.combine(day, time(rng.randint(6, 21), rng.randint(0, 59))),
                                             services.VN)
                    url = _url(address, n)
                    posts.append(Post(channel=channel, unit_id=channel.owner_unit_id, posted_at=at, day=day, url=url,
                                      url_key=services.url_key(url), text=rng.choice(texts),
                                      views=rng.randint(80, 3000), reactions=rng.randint(5, 400),
                                      shares=rng.randint(0, 60), source=PostSource.CONNECTOR,
                                      kind=kind if (today - day).days > UNMARKED_DAYS else PostKind.UNMARKED))
            day += timedelta(days=1)
    Post.objects.bulk_create(posts, batch_size=1000)
    for year in sorted({p.day.year for p in posts}):
        facts.rebuild(year=year)
    for post in Post.objects.filter(kind=PostKind.UNMARKED):  # suggestions from each unit's own marks
        services._suggest(post)
        post.save(update_fields=["suggested_kind", "suggested_confidence"])
    union = User.objects.filter(username="doan").first()
    zone = Unit.objects.filter(code="hp-dk-cat-hai").first()
    birthday = CommemorativeDay.objects.filter(name="Ngày sinh Chủ tịch Hồ Chí Minh", unit__isnull=True).first()
    if union and zone and birthday:
        year = today.year if today.month > 5 else today.year - 1
        campaign = services.campaign_from_day(actor=union, day_id=birthday.id, year=year, owner_unit=zone)
        campaign.materials = [{"title": "Bộ ảnh, khẩu hiệu tuyên truyền kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh",
                               "url": "https://doanthanhnien.vn/tu-lieu"}]
        campaign.save(update_fields=["materials"])
    focal, agency = User.objects.filter(username="daumoi.gdnn").first(), User.objects.filter(username="thuongtruc").first()
    centre, college = Unit.objects.filter(code="gdnn-gdtx-cat-hai").first(), Unit.objects.filter(
        code="cd-du-lich-cat-ba").first()
    if focal and agency and centre and college:
        year = today.year if today.month > 5 else today.year - 1
        proposals = [
            services.commendation_propose(
                actor=focal, unit=centre, year=year, kind="collective",
                achievements="Duy trì đăng tin tốt hằng ngày trên trang Facebook và Zalo của Trung tâm; tham gia đầy "
                             "đủ tuần cao điểm chào mừng Ngày sinh Chủ tịch Hồ Chí Minh."),
            services.commendation_propose(
                actor=focal, unit=centre, year=year, kind="person", person_name="Nguyễn Thị Hạnh",
                person_position="Giáo viên, Bí thư Chi đoàn",
                achievements="Viết và biên tập phần lớn các câu chuyện đẹp về học viên vượt khó học nghề trên "
                             "trang của Trung tâm."),
        ]
        services.commendations_approve(actor=agency, commendation_ids=[p.pk for p in proposals],
                                       number="25/QĐ-UBND", signer_title="Phó Chủ tịch", signer_name="Vũ Văn Hòa",
                                       signed_on=today)
        services.commendation_propose(
            actor=agency, unit=college, year=year, kind="collective",
            achievements="Khôi phục trang tin của Đoàn trường, đăng đều tin tốt về học sinh thực tập tại các khu du "
                         "lịch trên đảo.")
