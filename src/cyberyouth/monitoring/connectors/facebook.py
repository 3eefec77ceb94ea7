"""Facebook Graph API: a Page's posts (or a Group's feed) and the comments on each.

Requests (https://developers.facebook.com/docs/graph-api/reference/page/feed,
…/reference/object/comments), all GET with `access_token`:
    /{version}/{page-id}/posts?fields=id,message,created_time,permalink_url,from&limit=25[&since=UNIX]
    /{version}/{group-id}/feed?...same fields...
    /{version}/{post-id}/comments?fields=id,message,created_time,permalink_url,from&filter=stream&limit=100
Responses: {"data": [...], "paging": {"cursors": {...}, "next": "<absolute URL of the next page>"}}.
Errors: {"error": {"message", "type", "code", "fbtrace_id"}}; codes 4, 17, 32, 613 and 80001–80014
mean throttling. The X-App-Usage / X-Page-Usage / X-Business-Use-Case-Usage headers report the
share of the quota used (percent); we stop paging at 90 % and resume at the next poll.
"""

import json
import urllib.parse
from datetime import timedelta

from cyberyouth.channels.models import Platform

from .http import FetchError, RateLimited, get_json, retry_after

THROTTLE_CODES = {4, 17, 32, 613} | set(range(80001, 80015))
FIELDS = "id,message,created_time,permalink_url,from"
MAX_POST_PAGES = 4
MAX_COMMENT_PAGES = 4
USAGE_STOP = 90


def usage_percent(headers: dict) -> int:
    """The highest quota share any usage header reports."""
    highest = 0
    for name in ("x-app-usage", "x-page-usage", "x-ad-account-usage", "x-business-use-case-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        records = [data] if name != "x-business-use-case-usage" else [r for v in data.values() for r in v]
        for record in records:
            for key in ("call_count", "total_time", "total_cputime", "acc_id_util_pct"):
                value = record.get(key) if isinstance(record, dict) else None
                if isinstance(value, (int, float)):
                    highest = max(highest, int(value))
    return highest


class FacebookConnector:
    source = "facebook"

    def __init__(self, *, token: str, base_url: str, version: str = "v21.0"):
        self.token, self.base_url, self.version = token, base_url.rstrip("/"), version
        self.requests = 0

    def _url(self, path: str, **params) -> str:
        params["access_token"] = self.token
        return f"{self.base_url}/{self.version}/{path}?{urllib.parse.urlencode(params)}"

    def _page(self, url: str) -> tuple[list[dict], str | None, bool]:
        """One page → (data, next URL, keep going?)."""
        if not url.startswith(self.base_url + "/"):
            raise FetchError("Facebook trả địa chỉ trang tiếp theo ngoài Graph API — dừng.")
        self.requests += 1
        status, headers, body = get_json(url)
        error = body.get("error")
        if status >= 400 or error:
            error = error if isinstance(error, dict) else {}
            code = error.get("code")
            message = error.get("message") or f"HTTP {status}"
            if code in THROTTLE_CODES or status == 429:
                raise RateLimited(f"Facebook giới hạn tần suất (mã {code}): {message}",
                                  retry_after=retry_after(headers, 3600))
            if code == 190:
                raise FetchError(f"Mã truy cập Facebook không hợp lệ hoặc đã hết hạn: {message}")
            raise FetchError(f"Facebook trả lỗi (mã {code}, HTTP {status}): {message}")
        data = body.get("data")
        if not isinstance(data, list):
            raise FetchError("Phản hồi của Facebook thiếu trường data.")
        paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
        return [d for d in data if isinstance(d, dict)], paging.get("next"), usage_percent(headers) < USAGE_STOP

    def _all(self, url: str, max_pages: int) -> tuple[list[dict], bool]:
        rows: list[dict] = []
        for _ in range(max_pages):
            data, next_url, keep_going = self._page(url)
            rows += data
            if not keep_going:
                return rows, False
            if not next_url:
                break
            url = next_url
        return rows, True

    def fetch(self, channel) -> list[dict]:
        edge = "feed" if channel.platform == Platform.FACEBOOK_GROUP else "posts"
        params = {"fields": FIELDS, "limit": 25}
        if channel.last_fetch_at and not channel.consecutive_errors:
            # A day of overlap: posts edited or back-dated since, and the comments they gathered.
            params["since"] = int((channel.last_fetch_at - timedelta(days=1)).timestamp())
        posts, keep_going = self._all(self._url(f"{channel.external_id}/{edge}", **params), MAX_POST_PAGES)
        entries = [self._entry(p) for p in posts]
        for post in posts:
            if not keep_going:
                break
            comments, keep_going = self._all(
                self._url(f"{post['id']}/comments", fields=FIELDS, filter="stream", limit=100), MAX_COMMENT_PAGES)
            entries += [self._entry(c, parent=post["id"]) for c in comments]
        return [e for e in entries if e["text"]]

    @staticmethod
    def _entry(node: dict, parent: str | None = None) -> dict:
        author = node.get("from") if isinstance(node.get("from"), dict) else {}
        url = node.get("permalink_url") or f"https://www.facebook.com/{node.get('id', '')}"
        return {"external_id": str(node.get("id", ""))[:200], "url": url, "author": author.get("name", ""),
                "text": node.get("message") or "", "published_at": node.get("created_time"),
                "parent_external_id": parent or ""}
