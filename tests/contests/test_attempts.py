"""Attempts: the deadline kept by the server, answers saved once, resume, limits, forged input;
ranking with ties broken by the prediction and by time; suspicious attempts listed, not excluded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cyberyouth.contests import selectors, services
from cyberyouth.contests.models import Answer, Attempt, Round, RoundResult
from cyberyouth.errors import DomainError, NotFound

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def _shift(monkeypatch, delta: timedelta):
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + delta)


def test_start_resumes_the_same_attempt(cworld):
    s = cworld["students"][0]
    a = services.attempt_start(actor=s.user, rnd=cworld["round"])
    again = services.attempt_start(actor=s.user, rnd=cworld["round"])
    assert again.id == a.id and a.size == 5
    assert Attempt.objects.filter(student=s).count() == 1
    # options shuffled per attempt but the right ones are known from the layout only on the server
    view = selectors.attempt_view(a)
    assert all(o["right"] is None for slot in view["slots"] for o in slot["options"])


def test_a_draw_is_random_unless_the_demo_seeds_it(cworld):
    import random

    first, second, third = (s.user for s in cworld["students"][:3])
    seeded = [services.attempt_start(actor=u, rnd=cworld["round"], rng=random.Random(14)).layout
              for u in (first, second)]
    assert seeded[0] == seeded[1]  # the demo's rankings are the same on every machine
    drawn = [services.attempt_start(actor=third, rnd=cworld["round"]).layout]
    Attempt.objects.filter(student__user=third).update(state="submitted")
    Round.objects.filter(pk=cworld["round"].pk).update(attempts_allowed=9)
    cworld["round"].refresh_from_db()
    for _ in range(4):
        drawn.append(services.attempt_start(actor=third, rnd=cworld["round"]).layout)
        Attempt.objects.filter(student__user=third).update(state="submitted")
    assert len({repr(d) for d in drawn}) > 1  # a student's draw is not predictable


def test_the_same_answer_twice_changes_nothing_and_a_new_one_replaces_it(cworld):
    s = cworld["students"][0]
    a = services.attempt_start(actor=s.user, rnd=cworld["round"])
    first = services.answer_save(actor=s.user, attempt_id=a.id, slot=0, choice=[0])
    saved_at = Answer.objects.get(attempt=a, slot=0).answered_at
    replay = services.answer_save(actor=s.user, attempt_id=a.id, slot=0, choice=[0])
    assert first["changed"] and not replay["changed"]
    assert Answer.objects.filter(attempt=a).count() == 1
    assert Answer.objects.get(attempt=a, slot=0).answered_at == saved_at
    services.answer_save(actor=s.user, attempt_id=a.id, slot=0, choice=[1])
    assert Answer.objects.get(attempt=a, slot=0).choice == 2


def test_forged_answers_are_refused(cworld):
    s, other = cworld["students"][0], cworld["students"][1]
    a = services.attempt_start(actor=s.user, rnd=cworld["round"])
    with pytest.raises(DomainError) as err:
        services.answer_save(actor=s.user, attempt_id=a.id, slot=99, choice=[0])
    assert err.value.code == services.NOT_IN_ATTEMPT
    with pytest.raises(DomainError):
        services.answer_save(actor=s.user, attempt_id=a.id, slot=0, choice=[7])
    single = next(i for i, e in enumerate(a.layout) if not e["m"])
    with pytest.raises(DomainError, match="một phương án"):
        services.answer_save(actor=s.user, attempt_id=a.id, slot=single, choice=[0, 1])
    with pytest.raises(NotFound):  # someone else's attempt
        services.answer_save(actor=other.user, attempt_id=a.id, slot=0, choice=[0])
    assert not Answer.objects.filter(attempt=a).exists()


def test_the_deadline_is_kept_by_the_server(cworld, monkeypatch):
    s = cworld["students"][0]
    a = services.attempt_start(actor=s.user, rnd=cworld["round"])
    answer_all(a, right=True)
    _shift(monkeypatch, timedelta(seconds=601))
    with pytest.raises(DomainError) as err:
        services.answer_save(actor=s.user, attempt_id=a.id, slot=0, choice=[1])
    assert err.value.code == services.DEADLINE_PASSED
    done = services.attempt_submit(actor=s.user, attempt_id=a.id, prediction=3)
    assert done.state == "expired" and done.prediction is None and done.score == 5
    assert done.duration_ms == 600_000  # closed at the deadline, not when asked


def test_an_attempt_closes_itself_at_the_deadline(cworld, monkeypatch):
    s = cworld["students"][0]
    a = services.attempt_start(actor=s.user, rnd=cworld["round"])
    services.answer_save(actor=s.user, attempt_id=a.id, slot=0, choice=[0])
    _shift(monkeypatch, timedelta(minutes=11))
    assert services.expire_overdue() >= 1
    a.refresh_from_db()
    assert a.state == "expired" and a.submitted_at == a.deadline


def test_the_deadline_never_passes_the_round_close(cworld):
    rnd = cworld["round"]
    Round.objects.filter(pk=rnd.pk).update(closes_at=timezone.now() + timedelta(minutes=2))
    rnd.refresh_from_db()
    a = services.attempt_start(actor=cworld["students"][0].user, rnd=rnd)
    assert a.deadline == rnd.closes_at


def test_attempts_beyond_the_limit_are_refused(cworld):
    s = cworld["students"][0]
    for _ in range(2):
        a = services.attempt_start(actor=s.user, rnd=cworld["round"])
        services.attempt_submit(actor=s.user, attempt_id=a.id, prediction=1)
    with pytest.raises(DomainError) as err:
        services.attempt_start(actor=s.user, rnd=cworld["round"])
    assert err.value.code == services.NO_ATTEMPTS_LEFT


def test_a_submit_replayed_scores_once(cworld):
    s = cworld["students"][0]
    a = services.attempt_start(actor=s.user, rnd=cworld["round"])
    answer_all(a)
    first = services.attempt_submit(actor=s.user, attempt_id=a.id, prediction=4)
    again = services.attempt_submit(actor=s.user, attempt_id=a.id, prediction=99)
    assert (again.score, again.prediction, again.submitted_at) == (first.score, 4, first.submitted_at)
    with pytest.raises(DomainError) as err:
        services.answer_save(actor=s.user, attempt_id=a.id, slot=0, choice=[0])
    assert err.value.code == services.ATTEMPT_CLOSED


def test_a_student_outside_the_audience_cannot_start(cworld, units):
    from .conftest import make_student

    outsider = make_student(units["thpt-cat-ba"], cworld["c6"], "Ngoài Đối Tượng")
    outsider.unit = units["thpt-cat-ba"]
    outsider.save()
    with pytest.raises(NotFound):
        services.attempt_start(actor=outsider.user, rnd=cworld["round"])


def _take(student, rnd, *, wrong=(), prediction=None, seconds=60, monkeypatch=None, start_shift=timedelta(0)):
    a = services.attempt_start(actor=student.user, rnd=rnd)
    answer_all(a, wrong_slots=wrong)
    Attempt.objects.filter(pk=a.pk).update(started_at=timezone.now() - timedelta(seconds=seconds) + start_shift)
    return services.attempt_submit(actor=student.user, attempt_id=a.id, prediction=prediction)


def test_ranking_score_then_prediction_then_time_then_submission(cworld, monkeypatch):
    s = cworld["students"]
    rnd = cworld["round"]
    a0 = _take(s[0], rnd, prediction=4, seconds=100)  # full marks, distance |4-4| = 0, slow
    a1 = _take(s[1], rnd, prediction=10, seconds=30)  # full marks, distance 6, fast
    a2 = _take(s[2], rnd, prediction=4, seconds=50)   # full marks, distance 0, faster than s0
    a3 = _take(s[3], rnd, prediction=3, seconds=50)   # full marks, distance 1
    a4 = _take(s[4], rnd, wrong=(0,), prediction=4, seconds=5)  # 4/5 (fast, but score first)
    assert [a.score for a in (a0, a1, a2, a3, a4)] == [5, 5, 5, 5, 4]
    with pytest.raises(DomainError):
        services.round_rank(rnd=rnd)  # not closed yet: nothing published
    assert selectors.leaderboard(rnd=rnd)["published"] is False
    _shift(monkeypatch, timedelta(hours=3))
    rnd = services.round_rank(rnd=rnd)
    assert rnd.full_marks_count == 4
    order = list(RoundResult.objects.filter(round=rnd).order_by("rank").values_list("student_id", "rank", "distance"))
    assert order == [(s[2].id, 1, 0), (s[0].id, 2, 0), (s[3].id, 3, 1), (s[1].id, 4, 6), (s[4].id, 5, 0)]
    # the totals a leaderboard shows are written with the ranking, and equal a count of the rows
    assert rnd.ranked_count == 5 == selectors.participants(rnd=rnd)
    for offset, limit in ((0, 2), (2, 2), (4, 2), (10, 2), (0, 50)):
        board = selectors.leaderboard(rnd=rnd, offset=offset, limit=limit)
        assert board["total"] == 5 and len(board["rows"]) == max(0, min(limit, 5 - offset))
    assert selectors.leaderboard(rnd=rnd, limit=2, unit_ids={s[2].unit_id})["total"] == \
        RoundResult.objects.filter(round=rnd, unit_id=s[2].unit_id).count()


def test_best_attempt_counts_and_equal_keys_share_a_rank(cworld, monkeypatch):
    s = cworld["students"]
    rnd = cworld["round"]
    _take(s[0], rnd, wrong=(0, 1), prediction=1, seconds=10)
    _take(s[0], rnd, prediction=1, seconds=90)
    b = _take(s[1], rnd, prediction=1, seconds=90)
    # the same score, distance and time and the same second of submission: the same rank
    first = Attempt.objects.get(student=s[0], number=2)
    Attempt.objects.filter(pk=b.pk).update(submitted_at=first.submitted_at, duration_ms=first.duration_ms)
    _shift(monkeypatch, timedelta(hours=3))
    services.round_rank(rnd=rnd)
    results = {r.student_id: r for r in RoundResult.objects.filter(round=rnd)}
    assert results[s[0].id].attempt_id == first.id and results[s[0].id].attempts == 2
    assert results[s[0].id].rank == results[s[1].id].rank == 1


def test_no_prediction_ranks_after_any_prediction(cworld, monkeypatch):
    s = cworld["students"]
    rnd = cworld["round"]
    a = services.attempt_start(actor=s[0].user, rnd=rnd)
    answer_all(a)  # never handed in: closes itself at the deadline without a prediction
    _take(s[1], rnd, prediction=1000, seconds=500)
    _shift(monkeypatch, timedelta(hours=3))
    services.round_rank(rnd=rnd)
    ranks = dict(RoundResult.objects.filter(round=rnd).values_list("student_id", "rank"))
    assert ranks[s[1].id] == 1 and ranks[s[0].id] == 2


def test_suspicious_attempts_are_listed_and_only_a_person_excludes_them(cworld, monkeypatch):
    s, o = cworld["students"], cworld["others"]
    rnd = cworld["round"]
    # several accounts with the same wrong answers to the same questions (the bank has 5: all drawn)
    for student in (s[0], s[1]):
        _take(student, rnd, wrong=(), prediction=2, seconds=120)
    copied = []
    for student in (o[0], o[1]):
        a = services.attempt_start(actor=student.user, rnd=rnd)
        for slot, entry in enumerate(a.layout):  # the same wrong option of each question
            wrong_original = next(i for i in range(len(entry["o"])) if not entry["c"] >> entry["o"].index(i) & 1)
            services.answer_save(actor=student.user, attempt_id=a.id, slot=slot, choice=[entry["o"].index(wrong_original)])
        Attempt.objects.filter(pk=a.pk).update(started_at=timezone.now() - timedelta(seconds=200))
        copied.append(services.attempt_submit(actor=student.user, attempt_id=a.id, prediction=2))
    fast = _take(s[2], rnd, prediction=2, seconds=1)
    listed = {row["attempt"].id: row["reasons"] for row in selectors.suspicious(rnd=rnd)}
    assert fast.id in listed and "quá nhanh" in listed[fast.id][0]
    assert all(c.id in listed and "trùng đáp án" in listed[c.id][0] for c in copied)
    assert not any(Attempt.objects.filter(review="excluded"))
    _shift(monkeypatch, timedelta(hours=3))
    services.round_rank(rnd=rnd)
    assert RoundResult.objects.filter(round=rnd, student=s[2]).exists()
    with pytest.raises(DomainError, match="lý do"):
        services.attempt_review(actor=cworld["author"], attempt=fast, decision="excluded", note="")
    services.attempt_review(actor=cworld["author"], attempt=fast, decision="excluded",
                            note="Nộp sau 1 giây, đã xác minh với nhà trường")
    assert not RoundResult.objects.filter(round=rnd, student=s[2]).exists()


def test_names_only_with_consent_and_certificates(cworld, monkeypatch):
    s = cworld["students"]
    rnd = cworld["round"]
    for i, student in enumerate(s[:2]):
        _take(student, rnd, prediction=2, seconds=60 + i)
    _shift(monkeypatch, timedelta(hours=3))
    rnd = services.round_rank(rnd=rnd)
    board = selectors.leaderboard(rnd=rnd)
    names = [r.name for r in board["rows"]]
    assert s[0].full_name in names  # consented to a public name
    assert s[1].full_name not in names and any(n.startswith("Thí sinh ") for n in names)
    cert = services.certificate_issue(actor=s[1].user, rnd=rnd)
    assert not cert.named and cert.pdf.read().startswith(b"%PDF")
    assert services.certificate_issue(actor=s[1].user, rnd=rnd).code == cert.code
