"""/api/docs renders its viewer with every request to another origin refused (no internet)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def test_swagger_ui_renders_offline(browser_site):
    page = browser_site.login("thuongtruc").context.new_page()
    outside: list[str] = []

    def only_this_site(route):
        if route.request.url.startswith(browser_site.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    page.goto(f"{browser_site.url}/api/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20000)
    expect(page.locator(".swagger-ui")).to_contain_text("cyberyouth API")
    assert outside == []
