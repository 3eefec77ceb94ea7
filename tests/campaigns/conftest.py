from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def channel_of(db):
    """An official Facebook page of a unit (made for the test)."""
    from cyberyouth.channels.models import Channel

    def make(unit, slug=None):
        slug = slug or f"trang.{unit.code}"
        return Channel.objects.create(owner_unit=unit, platform="facebook_page", name=f"Trang {unit.name}",
                                      address=f"https://www.facebook.com/{slug}", is_official=True,
                                      active_since=date(2020, 1, 1))
    return make


@pytest.fixture
def post_on(db):
    """Record a post on `channel` at a local Vietnamese time, already marked `kind`."""
    from cyberyouth.campaigns import facts
    from cyberyouth.campaigns.models import Post
    from cyberyouth.campaigns.services import record_post

    counter = iter(range(10**6))

    def make(channel, local: datetime, kind: str = "", text: str = ""):
        post, _ = record_post(channel=channel, url=f"{channel.address}/posts/{next(counter)}",
                              posted_at=local.replace(tzinfo=VN), source="link", text=text)
        if kind:
            Post.objects.filter(pk=post.pk).update(kind=kind)
            facts.refresh(unit_id=post.unit_id, year=post.day.year)  # what post_mark does
        return post
    return make
