"""Every action the code audits has words an official reads on the audit page."""

import re
from pathlib import Path

import pytest

import cyberyouth
from cyberyouth.audit.labels import ACTION_LABELS
from cyberyouth.monitoring.models import ActionKind, Outcome


def test_every_audited_action_has_a_label():
    src = Path(cyberyouth.__file__).parent
    found = set()
    for path in src.rglob("*.py"):
        text = path.read_text("utf-8")
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', text))
        found |= set(re.findall(r'"(submission\.save)"', text))
    found |= {"admin.add", "admin.change"}  # audit/admin_mixins.py builds these two
    found |= {f"monitoring.action.{k}" for k in ActionKind.values} | {f"monitoring.decide.{o}" for o in Outcome.values}
    missing = sorted(found - set(ACTION_LABELS))
    assert not missing, f"add labels in audit/labels.py for {missing}"
    assert len(found) > 40


@pytest.mark.django_db
def test_the_audit_page_shows_the_words(client_for):
    html = client_for("thuongtruc").get("/nhat-ky/").content.decode()
    assert any(label in html for label in ACTION_LABELS.values())
