"""Pages and API: a student's attempt through the pages (resume, answer, replay, submit), the API's
refusals as structured errors, organisers' scope by page and API, the report's figure = the page's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cyberyouth.contests import selectors, services
from cyberyouth.contests.models import Answer, Attempt, Round

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def _client(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_a_student_takes_an_attempt_through_the_pages(cworld):
    s = cworld["students"][0]
    c = _client(s.user)
    page = c.get(reverse("contests:mine"))
    assert page.status_code == 200 and "Bắt đầu thi" in page.content.decode()
    r = c.post(reverse("contests:start", args=[cworld["round"].id]))
    attempt = Attempt.objects.get(student=s)
    assert r["Location"] == reverse("contests:attempt", args=[attempt.id])
    # a reload (or a second "start") resumes the same attempt
    c.post(reverse("contests:start", args=[cworld["round"].id]))
    assert Attempt.objects.filter(student=s).count() == 1
    url = reverse("contests:answer", args=[attempt.id])
    ok = c.post(url, {"slot": 0, "choice": ["1"]}, headers={"Accept": "application/json"})
    assert ok.status_code == 200 and ok.json()["changed"] is True
    again = c.post(url, {"slot": 0, "choice": ["1"]}, headers={"Accept": "application/json"})
    assert again.json()["changed"] is False and Answer.objects.filter(attempt=attempt).count() == 1
    forged = c.post(url, {"slot": 40, "choice": ["0"]}, headers={"Accept": "application/json"})
    assert forged.status_code == 400 and forged.json()["detail"][0]["code"] == "not_in_attempt"
    html = c.get(reverse("contests:attempt", args=[attempt.id])).content.decode()
    assert html.count("checked") == 1 and 'data-seconds-left="' in html
    missing = c.post(reverse("contests:submit", args=[attempt.id]), {})
    assert missing.status_code == 302 and Attempt.objects.get(pk=attempt.pk).state == "progress"
    done = c.post(reverse("contests:submit", args=[attempt.id]), {"prediction": "7"})
    assert done["Location"] == reverse("contests:result", args=[cworld["round"].id])
    assert Attempt.objects.get(pk=attempt.pk).prediction == 7
    assert "công bố khi vòng thi đóng" in c.get(done["Location"]).content.decode()


def test_another_students_attempt_is_not_found(cworld):
    a = services.attempt_start(actor=cworld["students"][0].user, rnd=cworld["round"])
    other = _client(cworld["students"][1].user)
    assert other.get(reverse("contests:attempt", args=[a.id])).status_code == 404
    assert other.post(reverse("contests:answer", args=[a.id]), {"slot": 0, "choice": ["0"]}).status_code == 404


def test_api_answer_after_the_deadline_is_a_structured_refusal(cworld, monkeypatch):
    from django.test import Client

    from cyberyouth.orgs.services import token_create

    s = cworld["students"][0]
    api = Client(headers={"Authorization": f"Bearer {token_create(user=s.user, name='t')}"})
    started = api.post(f"/api/contests/rounds/{cworld['round'].id}/start")
    assert started.status_code == 200, started.content
    body = started.json()
    assert len(body["slots"]) == 5 and body["seconds_left"] > 590
    ok = api.post(f"/api/contests/attempts/{body['id']}/answers", {"slot": 0, "choice": [0]},
                  content_type="application/json")
    assert ok.status_code == 200 and ok.json()["changed"]
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(minutes=11))
    late = api.post(f"/api/contests/attempts/{body['id']}/answers", {"slot": 1, "choice": [0]},
                    content_type="application/json")
    assert late.status_code == 400 and late.json()["detail"][0]["code"] == "deadline_passed"
    assert Answer.objects.filter(attempt_id=body["id"]).count() == 1


def test_a_school_reads_its_own_figures_and_not_another_schools_contest(cworld, people, units, client_for, api_for):
    from cyberyouth.contests.models import Contest

    own = Contest.objects.create(unit=units["thcs-cat-hai"], title="Cuộc thi riêng của THCS Cát Hải")
    own.audience.set([units["thcs-cat-hai"]])
    catba = client_for("daumoi.thcscatba")
    assert catba.get(reverse("contests:contest", args=[own.id])).status_code == 404
    assert catba.get(reverse("contests:contest", args=[cworld["contest"].id])).status_code == 200  # audience
    assert catba.get(reverse("contests:bank", args=["thcs-cat-hai"])).status_code == 404
    # reads the zone's contest but may not change it
    r = catba.post(reverse("contests:contest", args=[cworld["contest"].id]), {"form": "target"})
    assert r.status_code == 403
    rnd = Round.objects.create(contest=own, number=1, title="V1", opens_at=timezone.now(),
                               closes_at=timezone.now() + timedelta(days=1))
    assert api_for("daumoi.thcscatba").get(f"/api/contests/rounds/{rnd.id}/leaderboard").status_code == 404
    assert api_for("daumoi.thcscathai").get(f"/api/contests/rounds/{rnd.id}/leaderboard").status_code == 200


def test_the_yearly_report_figure_is_the_pages_figure(cworld, monkeypatch, units, client_for):
    from cyberyouth.contests import reporting
    from cyberyouth.orgs import selectors as org_selectors

    services.target_set(actor=cworld["author"], contest=cworld["contest"], unit=units["thcs-cat-ba"], participants=4)
    for s in cworld["students"][:5]:
        a = services.attempt_start(actor=s.user, rnd=cworld["round"])
        answer_all(a)
        services.attempt_submit(actor=s.user, attempt_id=a.id, prediction=3)
    year = timezone.localtime(cworld["round"].opens_at).year
    unit = units["thcs-cat-ba"]
    ids = org_selectors.year_unit_ids(unit=unit, year=year)
    figures = selectors.participation(unit_ids=ids, year=year)
    assert (figures["participants"], figures["attempts"], figures["target"]) == (5, 5, 4)
    text = reporting.parts(actor=None, unit=unit, year=year, unit_ids=ids, is_school=True)[0].text
    assert "5 học sinh tham gia với 5 lượt thi" in text and "đạt 125% chỉ tiêu" in text
    page = client_for("daumoi.thcscatba").get(reverse("contests:contest", args=[cworld["contest"].id])
                                              + "?don_vi=thcs-cat-ba")
    row = next(r for r in page.context["breakdown"]["rows"] if r["own"])
    assert (row["participants"], row["attempts"], row["target"]) == (5, 5, 4)
    assert round(row["percent"]) == round(figures["percent"]) == 125


def test_award_documents_and_certificate_verification(cworld, monkeypatch, client_for):
    s = cworld["students"]
    for i, student in enumerate(s[:4]):
        a = services.attempt_start(actor=student.user, rnd=cworld["round"])
        answer_all(a, wrong_slots=range(i))
        services.attempt_submit(actor=student.user, attempt_id=a.id, prediction=1)
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(hours=3))
    organiser = client_for("thuongtruc")
    for kind in ("danh-sach", "quyet-dinh"):
        doc = organiser.get(reverse("contests:award_document", args=[cworld["round"].id, kind]))
        assert doc.status_code == 200 and doc.content[:2] == b"PK"
    from io import BytesIO

    from docx import Document

    text = "\n".join(p.text for p in Document(BytesIO(doc.content)).paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Điều 1" in text
    c = _client(s[1].user)  # no consent to a public name
    pdf = c.get(reverse("contests:certificate", args=[cworld["round"].id]))
    assert pdf.status_code == 200
    from cyberyouth.contests.models import Certificate

    cert = Certificate.objects.get(student=s[1])
    from django.test import Client

    page = Client().get(reverse("contests:verify", args=[cert.code]))
    html = page.content.decode()
    assert page.status_code == 200 and cert.pdf_sha256 in html and s[1].full_name not in html
    assert "một học sinh của" in html


def test_guessing_contest_certificate_codes_meets_a_brake(db):
    from django.core.cache import cache
    from django.test import Client

    from cyberyouth.contests.views import VERIFY_MISSES

    cache.clear()
    visitor = Client()
    for i in range(VERIFY_MISSES.per_hour):
        assert visitor.get(reverse("contests:verify", args=[f"ACDEFGH{i:03d}"])).status_code == 404
    refused = visitor.get(reverse("contests:verify", args=["ACDEFGHJKL"]))
    assert refused.status_code == 429 and "quá nhiều mã không đúng" in refused.content.decode()
    cache.clear()


def test_a_mass_start_reads_little(cworld, django_assert_max_num_queries):
    """The three requests every student of a mass start makes besides the answers stay lean: no
    menu, bell or per-request bank reads (the menu and the bell are not on a student's pages)."""
    from cyberyouth.contests.selectors import participant

    s = cworld["students"][0]
    c = _client(s.user)
    c.post(reverse("contests:start", args=[cworld["round"].id]))  # the round's pools and audience cached
    services.attempt_submit(actor=s.user, attempt_id=Attempt.objects.get(student=s).id, prediction=1)
    other = cworld["students"][2]
    c = _client(other.user)
    with django_assert_max_num_queries(9):  # session, user, roles, round, student, attempts, insert
        r = c.post(reverse("contests:start", args=[cworld["round"].id]))
    with django_assert_max_num_queries(6):  # session, user, roles, attempt, versions (once), answers
        page = c.get(r["Location"])
    assert page.status_code == 200 and "Thông báo" not in page.content.decode()
    with django_assert_max_num_queries(5):  # now the drawn versions come from the cache
        c.get(r["Location"])
    # the one query behind a start knows the consent and the class
    found = participant(user_id=other.user_id)
    assert found.consented and found.class_id == cworld["c6"].id and found.grade == 6
    Consent = type(other.consents.first())
    Consent.objects.filter(student=other).update(withdrawn_at=timezone.now())
    assert participant(user_id=other.user_id).consented is False
