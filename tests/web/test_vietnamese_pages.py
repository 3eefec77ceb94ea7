"""Every page, as every demo role, speaks Vietnamese: no internal code of a choice list, no command name.

The page's visible text (text nodes, titles, placeholders — not attribute values such as an
<option>'s value, not addresses) is scanned for the stored value of every choice list of our
models ("confirm", "HATE", "off_track", "students_cc_ack"…), which a person should never read.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps

from .pages import page_urls

ROLES = ("thuongtruc", "daumoi.thcscatba", "daumoi.gdnn", "doan", "kiemduyet", "tuvan", "lanhdao", "hocsinh",
         "sysadmin")
COMMANDS = re.compile(r"\bcyberyouth\s+[a-z]|manage\.py|collectstatic|\bpip install\b|\bmake\s+(run|test|install)\b")
# Where a code is the thing being managed: the category page lists each category's code, which
# the administrator types to edit it (and which connectors and the engine use).
MANAGED_CODES = {"/giam-sat/nhom-noi-dung/": "monitoring.Category.code"}
ADDRESS = re.compile(r"\S*(://|www\.|@|/)\S*")


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return ADDRESS.sub(" ", " ".join(parser.parts))


# Stored values that are also everyday words in Vietnamese pages and posts ("trang web", "gửi link").
ORDINARY_WORDS = frozenset({"web", "link", "code"})  # also in users' own words: "gửi link", "mã code"


def internal_codes() -> dict[str, str]:
    """Stored value → where it comes from, for every choice list of our models (and the data
    elements' and indicators' codes), leaving out values that are ordinary words or numbers."""
    codes = {}
    for model in apps.get_models():
        if not model.__module__.startswith("cyberyouth."):
            continue
        for field in model._meta.concrete_fields:
            for value, label in field.flatchoices or ():
                if (isinstance(value, str) and value and value != str(label) and re.search(r"[a-zA-Z]{2}", value)
                        and value not in ORDINARY_WORDS):
                    codes.setdefault(value, f"{model._meta.label}.{field.name}")
    from django.db.models import TextChoices

    def every_subclass(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every_subclass(sub)

    for choices in every_subclass(TextChoices):
        if choices.__module__.startswith("cyberyouth."):
            for value in choices.values:
                if re.search(r"[a-zA-Z]{2}", value) and value not in ORDINARY_WORDS:
                    codes.setdefault(value, f"{choices.__module__}.{choices.__name__}")
    from cyberyouth.indicators.models import DataElement
    from cyberyouth.indicators.selectors import STATUS_LABELS
    from cyberyouth.safety.model import LABELS

    from cyberyouth.monitoring.models import Category

    for code in DataElement.objects.values_list("code", flat=True):
        codes.setdefault(code, "indicators.DataElement.code")
    for code in Category.objects.values_list("code", flat=True):
        codes.setdefault(code, "monitoring.Category.code")
    codes.update({code: "indicators.selectors.STATUS_LABELS" for code in STATUS_LABELS})
    codes.update({code: "safety.model.LABELS" for code in LABELS})
    codes.update({code: "completeness timeliness" for code in ("on_time", "late", "missing")})
    return codes


def offending(text: str, codes: dict[str, str]) -> list[str]:
    found = [f"{value} ({origin})" for value, origin in codes.items()
             if re.search(rf"(?<![\w.\-]){re.escape(value)}(?![\w\-])", text)]
    found += [f"command: {m.group(0)}" for m in COMMANDS.finditer(text)]
    return found


def test_the_scan_finds_what_it_looks_for(db):
    codes = internal_codes()
    assert {"confirm", "HATE", "students_cc_ack", "off_track", "self_harm"} <= set(codes)
    assert offending(visible_text("<p>Đã quyết định: confirm</p>"), codes)
    assert offending(visible_text("<td>Nhãn: HATE</td>"), codes)
    assert offending(visible_text("<p>Chạy lệnh cyberyouth worker</p>"), codes)
    assert not offending(visible_text('<select><option value="confirm">Xác nhận vi phạm</option></select>'), codes)
    assert not offending(visible_text('<a href="https://youtube.com/x">https://www.youtube.com/@demo</a>'), codes)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_shows_labels_not_codes(client_for, username, db):
    codes = internal_codes()
    client = client_for(username)
    problems = {}
    visited = 0
    for url in page_urls(username):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        managed = MANAGED_CODES.get(url)
        found = offending(visible_text(response.content.decode()),
                          {k: v for k, v in codes.items() if v != managed})
        if found:
            problems[url] = found
    assert visited >= 5
    assert not problems, problems
