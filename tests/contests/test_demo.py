"""The demo: the special zone's contest with a round open now, at least 60 questions written for it
(history and the Code of Conduct), attempts by demo students, a published leaderboard, certificates."""

import pytest
from django.utils import timezone

from cyberyouth.contests import demo, selectors
from cyberyouth.contests.models import Attempt, Certificate, Contest, Question

pytestmark = pytest.mark.django_db


def test_the_demo_contest_is_complete():
    contest = Contest.objects.get(title=demo.TITLE)
    assert contest.unit.code == "hp-dk-cat-hai"
    questions = demo.read_data()
    assert len(questions) >= 60
    topics = {t for q in questions for t in q.tags}
    assert {"Lịch sử Việt Nam", "Quy tắc ứng xử trên mạng xã hội"} <= topics
    assert sum("Quy tắc ứng xử trên mạng xã hội" in q.tags for q in questions) >= 20
    bank = Question.objects.filter(unit=contest.unit)
    assert bank.count() >= 60 and bank.filter(live__isnull=True).count() == 3  # three wait for approval
    assert any(q.versions.count() == 2 for q in bank)  # one edited after approval
    now = timezone.now()
    rounds = list(contest.rounds.order_by("number"))
    assert any(r.opens_at <= now < r.closes_at for r in rounds)
    closed = next(r for r in rounds if r.closes_at <= now)
    board = selectors.leaderboard(rnd=closed)
    assert board["published"] and len(board["rows"]) >= 30
    assert [r.rank for r in board["rows"]] == sorted(r.rank for r in board["rows"])
    assert any(r.name.startswith("Thí sinh ") for r in board["rows"])  # no consent to a public name
    assert Certificate.objects.filter(round=closed).count() >= 4
    reasons = [" ".join(s["reasons"]) for s in selectors.suspicious(rnd=closed)]
    assert any("quá nhanh" in r for r in reasons) and sum("trùng đáp án" in r for r in reasons) >= 2
    assert Attempt.objects.filter(round__in=rounds[1:2]).exists()


def test_demo_questions_are_well_formed():
    from cyberyouth.contests import bankfile

    for q in demo.read_data():
        assert not bankfile.check(q), (q.text, bankfile.check(q))
        assert q.explanation and q.source, q.text
