import pytest


@pytest.fixture
def channel(db, units, people):
    """The demo's public Facebook group (zone: Đặc khu Cát Hải)."""
    from cyberyouth.channels.models import Channel

    return Channel.objects.get(address="https://www.facebook.com/groups/demo.megamecatba")
