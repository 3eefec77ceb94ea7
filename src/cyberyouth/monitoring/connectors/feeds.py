"""RSS 2.0 and Atom (RFC 4287) feeds → entries.

The parser refuses documents type declarations (entity expansion bombs, external entities)
and anything that is not RSS or Atom, with a message the operator can act on."""

import html
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

from django.utils.dateparse import parse_datetime

from .http import FetchError, get

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
RDF_RSS = "{http://purl.org/rss/1.0/}"
MAX_ENTRIES = 500
_TAGS = re.compile(r"<[^>]{0,2000}>")


def strip_html(value: str) -> str:
    """Feed descriptions are often HTML: keep the words a reader sees."""
    text = _TAGS.sub(" ", value or "")
    return " ".join(html.unescape(text).split())


def _when(value: str | None):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        pass
    parsed = parse_datetime(value.replace("Z", "+00:00")) if "T" in value else None  # Atom: RFC 3339
    return parsed.isoformat() if parsed else None


def parse_feed(data: bytes, *, base_url: str = "") -> list[dict]:
    head = data[:4096].lstrip().lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise FetchError("Nguồn tin có khai báo DOCTYPE/ENTITY — từ chối vì lý do an toàn.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FetchError(f"Nguồn tin không phải XML hợp lệ ({exc}).") from None
    entries = []
    if root.tag == "rss" or root.tag.endswith("RDF"):
        items = root.findall("./channel/item") or root.findall(f"./{RDF_RSS}item")
        for node in items[:MAX_ENTRIES]:
            def t(name, node=node):
                found = node.find(name)
                return (found.text or "").strip() if found is not None and found.text else ""
            title = t("title") or t(f"{RDF_RSS}title")
            body = t(f"{CONTENT}encoded") or t("description") or t(f"{RDF_RSS}description")
            link = t("link") or t(f"{RDF_RSS}link")
            guid = t("guid") or link or node.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
            entries.append(_entry(guid, link, t("author") or t(f"{DC}creator"), title, body,
                                  _when(t("pubDate") or t(f"{DC}date"))))
    elif root.tag == f"{ATOM}feed":
        for node in root.findall(f"{ATOM}entry")[:MAX_ENTRIES]:
            def t(name, node=node):
                found = node.find(f"{ATOM}{name}")
                return "".join(found.itertext()).strip() if found is not None else ""
            link = ""
            for candidate in node.findall(f"{ATOM}link"):
                if candidate.get("rel", "alternate") == "alternate":
                    link = candidate.get("href", "")
                    break
            author = node.find(f"{ATOM}author/{ATOM}name")
            entries.append(_entry(t("id") or link, link, (author.text or "") if author is not None else "",
                                  t("title"), t("content") or t("summary"), _when(t("published") or t("updated"))))
    else:
        raise FetchError("Nguồn không phải RSS hay Atom.")
    return [e for e in entries if e["text"]]


def _entry(guid, link, author, title, body, published) -> dict:
    title, body = strip_html(title), strip_html(body)
    text = title if not body or body.startswith(title) else f"{title}\n{body}" if title else body
    link = link if re.match(r"^https?://\S+$", link or "") else ""
    return {"external_id": (guid or "")[:200], "url": link[:1000], "author": strip_html(author)[:300],
            "text": text[:20000], "published_at": published}


class FeedConnector:
    source = "feed"

    def fetch(self, channel) -> list[dict]:
        status, _headers, body = get(channel.feed_url, accept="application/rss+xml, application/atom+xml, */*")
        if status >= 400:
            raise FetchError(f"Nguồn tin trả lỗi HTTP {status}.")
        entries = parse_feed(body, base_url=channel.feed_url)
        for e in entries:
            e["source_url"] = channel.feed_url
        return entries
