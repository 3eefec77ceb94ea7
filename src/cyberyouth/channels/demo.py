"""Demo channels of the Cát Hải schools: most vocational and general schools have one or two;
one closed in 2024, one paused; the vocational college opened its first in 2025."""

from datetime import date

from django.db import transaction

from cyberyouth.orgs.models import Unit

from . import services
from .models import Channel, ChannelStatus, Platform

# owner code, platform, name, address, active since, status, closed on
CHANNELS = [
    ("gdnn-gdtx-cat-hai", Platform.FACEBOOK_PAGE, "Trung tâm GDNN - GDTX Cát Hải",
     "https://www.facebook.com/gdnngdtxcathai", date(2019, 9, 5), ChannelStatus.ACTIVE, None),
    ("gdnn-gdtx-cat-hai", Platform.ZALO_OA, "Zalo OA Trung tâm GDNN - GDTX Cát Hải",
     "https://zalo.me/gdnngdtxcathai", date(2024, 3, 26), ChannelStatus.ACTIVE, None),
    ("cd-du-lich-cat-ba", Platform.FACEBOOK_PAGE, "Đoàn Thanh niên Phân hiệu Cát Bà - CĐ Du lịch Hải Phòng",
     "https://www.facebook.com/doanthanhnien.cdducatba", date(2025, 3, 26), ChannelStatus.ACTIVE, None),
    ("cd-du-lich-cat-ba", Platform.WEBSITE, "Trang tin cũ Phân hiệu Cát Bà",
     "https://catba.cdduhp.edu.vn/tin-tuc", date(2018, 1, 1), ChannelStatus.CLOSED, date(2023, 6, 30)),
    ("thcs-cat-ba", Platform.FACEBOOK_PAGE, "Trường THCS Cát Bà", "https://www.facebook.com/thcscatba",
     date(2020, 9, 5), ChannelStatus.ACTIVE, None),
    ("thcs-cat-hai", Platform.FACEBOOK_PAGE, "Liên đội THCS Cát Hải", "https://www.facebook.com/liendoithcscathai",
     date(2021, 11, 20), ChannelStatus.PAUSED, None),
    ("th-cat-ba", Platform.WEBSITE, "Trường Tiểu học Cát Bà", "https://thcatba.haiphong.edu.vn",
     date(2017, 8, 1), ChannelStatus.ACTIVE, None),
    ("thpt-cat-ba", Platform.YOUTUBE, "THPT Cát Bà TV", "https://www.youtube.com/@thptcatba",
     date(2022, 4, 2), ChannelStatus.ACTIVE, None),
    ("th-thcs-hien-hao", Platform.FACEBOOK_GROUP, "Phụ huynh - học sinh TH&THCS Hiền Hào",
     "https://www.facebook.com/groups/ththcshienhao", date(2022, 9, 1), ChannelStatus.CLOSED, date(2024, 8, 15)),
]


@transaction.atomic
def load(*, actor) -> None:
    if Channel.objects.filter(address=CHANNELS[0][3]).exists():
        return
    units = {u.code: u for u in Unit.objects.filter(code__in={c[0] for c in CHANNELS})}
    for code, platform, name, address, since, status, closed in CHANNELS:
        if code in units and not Channel.objects.filter(platform=platform, address=address).exists():
            services.channel_create(actor=actor, owner_unit=units[code], platform=platform, name=name,
                                    address=address, active_since=since, status=status, closed_on=closed)
