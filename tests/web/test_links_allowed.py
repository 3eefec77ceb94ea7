"""Links a person may not follow are not shown: following every link of the pages a demo
person reaches from the home page (three clicks deep) never meets a 403."""

import re
from collections import Counter, deque
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db

SKIP = re.compile(r"^/(admin|static|media|api|i18n|dang-xuat)/|/tai/|\.(xlsx|csv|docx|pdf|zip)$|[?&](tai|xuat)=")
HREF = re.compile(r'<a\s[^>]*href="([^"#]+)"')


def _route(target: str) -> tuple:
    """A link's page kind: its URL pattern and the names of its query parameters."""
    parts = urlsplit(target)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = parts.path
    return route, tuple(sorted(parse_qs(parts.query)))


def _crawl(client, *, depth: int = 3, per_route: int = 2) -> dict[str, str]:
    """url → the page it was linked from, for every link answered 403. Every kind of page
    reachable within `depth` clicks is opened (at most `per_route` links of one kind: the
    units, cases or years of one page differ in data, not in the links they offer)."""
    seen = {"/"}
    kinds: Counter = Counter()
    forbidden: dict[str, str] = {}
    queue = deque([("/", 0, "")])
    while queue:
        url, level, source = queue.popleft()
        response = client.get(url)
        if response.status_code == 403:
            forbidden[url] = source
            continue
        if level >= depth or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or SKIP.search(target) or target in seen:
                continue
            seen.add(target)
            kind = _route(target)
            if kinds[kind] >= per_route:
                continue
            kinds[kind] += 1
            queue.append((target, level + 1, url))
    return forbidden


@pytest.mark.parametrize("username", ["lanhdao", "daumoi.thcscatba", "doan", "kiemduyet", "tuvan", "hocsinh"])
def test_no_link_leads_to_a_refusal(client_for, username):
    assert _crawl(client_for(username)) == {}


def test_leader_reads_monitoring_statistics_and_the_log_but_is_offered_no_data_entry(client_for):
    leader = client_for("lanhdao")
    assert leader.get("/giam-sat/thong-ke/").status_code == 200
    assert leader.get("/nhat-ky/").status_code == 200
    page = leader.get("/chi-tieu/bao-cao/").content.decode()
    assert "Nhập/xuất Excel" not in page
    assert leader.get("/chi-tieu/excel/").status_code == 403
    assert "Nhập/xuất Excel" in client_for("daumoi.thcscatba").get("/chi-tieu/bao-cao/").content.decode()
