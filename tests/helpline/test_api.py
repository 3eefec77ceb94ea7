"""The helpline API: intake and the queue, scoped like the pages; notes invisible to others."""

import pytest

from cyberyouth.helpline import services
from cyberyouth.helpline.models import Case, CaseOpening, EntryKind

pytestmark = pytest.mark.django_db


def test_intake_queue_and_case_through_the_api(api_for):
    api = api_for("tuvan")
    r = api.post("/api/helpline/contacts", {"helpline_unit": "hp-dk-cat-hai", "channel": "referral_111",
                                            "kind": "self", "urgency": "critical", "categories": ["grooming"],
                                            "summary": "111 chuyển: người lạ hẹn gặp học sinh"},
                 content_type="application/json")
    assert r.status_code == 201, r.content
    case_id = r.json()["case_id"]
    queue = api.get("/api/helpline/cases").json()
    assert queue[0]["urgency"] == "critical" and case_id in [row["id"] for row in queue]
    one = api.get(f"/api/helpline/cases/{case_id}").json()
    assert one["entries"][0]["kind"] == "call" and "người lạ hẹn gặp" in one["entries"][0]["text"]
    assert CaseOpening.objects.filter(case_id=case_id, via="api").count() == 1


def test_bad_intake_is_a_structured_error(api_for):
    api = api_for("tuvan")
    r = api.post("/api/helpline/contacts", {"helpline_unit": "hp-dk-cat-hai", "kind": "self", "urgency": "urgent",
                                            "summary": "   "}, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "summary"
    r = api.post("/api/helpline/contacts", {"helpline_unit": "hp-dk-cat-hai", "kind": "self", "urgency": "soon"},
                 content_type="application/json")
    assert r.status_code == 422
    # a focal point records nothing
    r = api_for("daumoi.thcscatba").post("/api/helpline/contacts", {
        "helpline_unit": "thcs-cat-ba", "kind": "self", "urgency": "urgent", "summary": "x"},
        content_type="application/json")
    assert r.status_code == 403


@pytest.mark.parametrize("who", ["thuongtruc", "lanhdao", "daumoi.thcscatba", "sysadmin"])
def test_notes_are_invisible_through_the_api(api_for, people, who):
    done = services.child_submit(text="Em bị dọa", client_address="192.0.2.90")
    services.note_add(actor=people["tuvan"], case_id=done.case.pk, kind=EntryKind.NOTE, text="GHI-CHU-API")
    api = api_for(who)
    r = api.get(f"/api/helpline/cases/{done.case.pk}")
    # no helpline role: the function is not theirs (403); the system administrator holds every
    # capability, yet reads no child's case (404, as if it did not exist)
    assert r.status_code == (404 if who == "sysadmin" else 403) and "GHI-CHU-API" not in r.content.decode()
    listing = api.get("/api/helpline/cases")
    assert "GHI-CHU-API" not in listing.content.decode()
    assert listing.json() == [] if who == "sysadmin" else listing.status_code == 403


def test_another_helplines_counsellor_cannot_answer(api_for, people):
    done = services.child_submit(text="Em cần giúp", client_address="192.0.2.91")
    r = api_for("tuvan.thcscatba").post(f"/api/helpline/cases/{done.case.pk}/answers", {"text": "Chào em"},
                                        content_type="application/json")
    assert r.status_code == 404
    assert not Case.objects.get(pk=done.case.pk).messages.filter(author="counsellor").exists()
