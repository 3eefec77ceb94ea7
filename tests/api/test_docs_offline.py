"""/api/docs works without internet: the viewer's files are served from our own origin."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_docs_page_loads_nothing_from_another_origin(client):
    html = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources), sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    # (The CSRF token is 64 random letters and digits: one in a few hundred holds "cdn".)
    assert "cdn" not in re.sub(r'data-csrf-token="[^"]*"', "", html).lower()
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), f"{source} is not among our static files"


def test_docs_viewer_settings_call_no_validator(client):
    html = client.get("/api/docs").content.decode()
    settings_json = re.search(r'id="swagger-settings">\s*(\{.*?\})\s*</script>', html, re.S).group(1)
    assert '"validatorUrl": null' in settings_json
