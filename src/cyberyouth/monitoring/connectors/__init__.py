"""Where items come from: RSS/Atom feeds, the Facebook Graph API, the YouTube Data API v3.

Each connector's `fetch(channel)` returns entries in the shape `services.ingest` takes
({external_id, url, author, text, published_at, parent_external_id, …}) and raises
`FetchError` (or `RateLimited`, with the wait the platform asked for) when the source fails.
Operators' tokens and the API addresses come from the environment (see docs/monitoring.md):

    CYBERYOUTH_FACEBOOK_TOKEN      a Page access token (pages_read_engagement, pages_read_user_content)
    CYBERYOUTH_FACEBOOK_GRAPH_URL  default https://graph.facebook.com, version CYBERYOUTH_FACEBOOK_VERSION (v21.0)
    CYBERYOUTH_YOUTUBE_API_KEY     an API key of a Google Cloud project with the YouTube Data API v3
    CYBERYOUTH_YOUTUBE_API_URL     default https://www.googleapis.com/youtube/v3
"""

import os

from django.conf import settings

from .http import FetchError, RateLimited  # noqa: F401


def setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, "") or default)


def for_channel(channel):
    """The connector that can read `channel`, or None."""
    from cyberyouth.channels.models import Platform

    from .facebook import FacebookConnector
    from .feeds import FeedConnector
    from .youtube import YouTubeConnector

    if channel.feed_url:
        return FeedConnector()
    if channel.platform in (Platform.FACEBOOK_PAGE, Platform.FACEBOOK_GROUP) and channel.external_id:
        token = setting("CYBERYOUTH_FACEBOOK_TOKEN")
        if token:
            return FacebookConnector(token=token, base_url=setting("CYBERYOUTH_FACEBOOK_GRAPH_URL",
                                                                   "https://graph.facebook.com"),
                                     version=setting("CYBERYOUTH_FACEBOOK_VERSION", "v21.0"))
    if channel.platform == Platform.YOUTUBE and channel.external_id:
        key = setting("CYBERYOUTH_YOUTUBE_API_KEY")
        if key:
            return YouTubeConnector(api_key=key, base_url=setting("CYBERYOUTH_YOUTUBE_API_URL",
                                                                  "https://www.googleapis.com/youtube/v3"))
    return None
