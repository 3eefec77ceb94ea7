"""YouTube Data API v3: comment threads (top-level comments with their replies).

Request (https://developers.google.com/youtube/v3/docs/commentThreads/list), GET with `key`:
    /commentThreads?part=snippet,replies&maxResults=100&order=time&textFormat=plainText
        &allThreadsRelatedToChannelId=UC… (a channel id)  or  &videoId=… (a video id)
        [&pageToken=…]
Response: {"items": [{"id", "snippet": {"videoId", "topLevelComment": {"id", "snippet":
{"textOriginal", "authorDisplayName", "publishedAt", …}}, "totalReplyCount"}, "replies":
{"comments": [...]}}], "nextPageToken": "…"}.
Errors: {"error": {"code", "message", "errors": [{"reason", "domain"}]}}. Each call costs 1
quota unit of the project's daily 10,000; "quotaExceeded" lasts until midnight Pacific time,
"rateLimitExceeded"/"userRateLimitExceeded" (and HTTP 429) ask to slow down.
"""

import urllib.parse
from datetime import datetime, timedelta, timezone

from .http import FetchError, RateLimited, get_json, retry_after

MAX_PAGES = 5
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}


def seconds_to_quota_reset(now: datetime | None = None) -> int:
    """The daily quota resets at midnight Pacific time (08:00 UTC; 07:00 in summer — we take the later)."""
    now = now or datetime.now(timezone.utc)
    reset = now.replace(hour=8, minute=0, second=0, microsecond=0)
    if reset <= now:
        reset += timedelta(days=1)
    return int((reset - now).total_seconds()) + 60


class YouTubeConnector:
    source = "youtube"

    def __init__(self, *, api_key: str, base_url: str):
        self.api_key, self.base_url = api_key, base_url.rstrip("/")
        self.requests = 0

    def _url(self, channel, page_token: str | None) -> str:
        params = {"part": "snippet,replies", "maxResults": 100, "order": "time", "textFormat": "plainText",
                  "key": self.api_key}
        target = channel.external_id.strip()
        if target.startswith("UC") and len(target) == 24:
            params["allThreadsRelatedToChannelId"] = target
        else:
            params["videoId"] = target
        if page_token:
            params["pageToken"] = page_token
        return f"{self.base_url}/commentThreads?{urllib.parse.urlencode(params)}"

    def fetch(self, channel) -> list[dict]:
        entries: list[dict] = []
        token = None
        for _ in range(MAX_PAGES):
            self.requests += 1
            status, headers, body = get_json(self._url(channel, token))
            if status >= 400 or "error" in body:
                self._raise(status, headers, body)
            items = body.get("items")
            if not isinstance(items, list):
                raise FetchError("Phản hồi của YouTube thiếu trường items.")
            for thread in items:
                snippet = thread.get("snippet") or {}
                top = snippet.get("topLevelComment") or {}
                video = snippet.get("videoId") or (top.get("snippet") or {}).get("videoId", "")
                entries.append(self._entry(top, video))
                for reply in (thread.get("replies") or {}).get("comments", []):
                    entries.append(self._entry(reply, video, parent=top.get("id", "")))
            token = body.get("nextPageToken")
            if not token:
                break
        return [e for e in entries if e["text"] and e["external_id"]]

    @staticmethod
    def _raise(status: int, headers: dict, body: dict):
        error = body.get("error") if isinstance(body.get("error"), dict) else {}
        reasons = {e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)}
        message = error.get("message") or f"HTTP {status}"
        if reasons & QUOTA_REASONS:
            raise RateLimited(f"Hết hạn mức YouTube Data API trong ngày: {message}",
                              retry_after=seconds_to_quota_reset())
        if reasons & RATE_REASONS or status == 429:
            raise RateLimited(f"YouTube yêu cầu giảm tần suất: {message}", retry_after=retry_after(headers, 900))
        if "commentsDisabled" in reasons:
            raise FetchError("Video đã tắt bình luận.")
        raise FetchError(f"YouTube trả lỗi (HTTP {status}, {', '.join(sorted(r for r in reasons if r)) or '—'}): {message}")

    @staticmethod
    def _entry(comment: dict, video: str, parent: str = "") -> dict:
        s = comment.get("snippet") or {}
        cid = str(comment.get("id", ""))
        return {"external_id": cid[:200], "url": f"https://www.youtube.com/watch?v={video}&lc={cid}",
                "author": s.get("authorDisplayName", ""), "text": s.get("textOriginal") or s.get("textDisplay") or "",
                "published_at": s.get("publishedAt"), "parent_external_id": parent}
