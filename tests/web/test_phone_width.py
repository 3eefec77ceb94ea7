"""Every page at 390 px wide (a phone), as every demo role: the page never scrolls sideways.

Wide tables may scroll inside their own box (`.table-wrap`) or become cards; nothing else may be
wider than the screen. At 1280 px the audit log's table fits without scrolling (its last column
was clipped once).
"""

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .pages import page_urls

pytestmark = [pytest.mark.browser]

ROLES = ("thuongtruc", "daumoi.thcscatba", "daumoi.gdnn", "doan", "kiemduyet", "tuvan", "lanhdao", "hocsinh",
         "sysadmin")

# What sticks out of the screen, outside a box that scrolls on its own.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const page = document.documentElement.scrollWidth;
  const culprits = [];
  if (page > width + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 1 || r.width === 0) continue;
      let boxed = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p).overflowX;
        if (s === 'auto' || s === 'scroll' || s === 'hidden') { boxed = true; break; }
      }
      if (!boxed) culprits.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                               + ' ' + Math.round(r.right) + 'px');
      if (culprits.length > 4) break;
    }
  }
  return {width, page, culprits};
}"""


def test_every_page_fits_a_phone_for_every_role(browser_site):
    problems = {}
    visited = 0
    for username in ROLES:
        page = browser_site.login(username)
        page.set_viewport_size({"width": 390, "height": 844})
        for url in page_urls(username):
            try:
                response = page.goto(browser_site.url + url)
            except PlaywrightTimeoutError:
                raise  # a page that never finishes loading is a fault, not a page to pass over
            except PlaywrightError:  # an answer chromium does not render (a file download)
                continue
            if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            visited += 1
            result = page.evaluate(OVERFLOW)
            if result["page"] > result["width"] + 1:
                problems[f"{username} {url}"] = f"{result['page']} px: {result['culprits']}"
        page.context.close()
    assert visited > 100
    assert not problems, problems


def test_the_audit_log_fits_a_desktop_and_the_queue_reads_on_a_phone(browser_site):
    page = browser_site.login("thuongtruc")
    page.goto(browser_site.url + "/nhat-ky/")
    clipped = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1).length""")
    assert clipped == 0
    page.context.close()

    page = browser_site.login("kiemduyet")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(browser_site.url + "/giam-sat/")
    # Each queue row is a card: the text link is as wide as the screen allows, not a sliver.
    first = page.locator("table.queue tbody tr").first.locator("td.queue-text")
    box = first.bounding_box()
    assert box and box["width"] > 300
