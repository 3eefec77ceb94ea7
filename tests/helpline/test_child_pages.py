"""The "Cần giúp đỡ?" page: anonymous, 111 always shown, out-of-hours said first, code and secret
to come back, bad input refused in Vietnamese, one contact for a form posted twice."""

import re
from datetime import datetime

import pytest

from cyberyouth.helpline import selectors, services
from cyberyouth.helpline.models import AccessAttempt, Case, Contact, Helpline, Message

pytestmark = pytest.mark.django_db

SELF_HARM = "Em không muốn sống nữa, em muốn tự tử cho xong"


def _key(page) -> str:
    return re.search(r'name="submission_key" value="([^"]+)"', page.content.decode()).group(1)


def test_anonymous_child_writes_and_comes_back(anon):
    page = anon.get("/tong-dai/can-giup-do/")
    html = page.content.decode()
    assert page.status_code == 200 and 'href="tel:111"' in html and "miễn phí, 24/7" in html
    r = anon.post("/tong-dai/can-giup-do/", {"text": SELF_HARM, "kind": "self", "submission_key": _key(page)})
    html = r.content.decode()
    assert r.status_code == 200
    code = re.search(r'id="case-code">([^<]+)<', html).group(1)
    secret = re.search(r'id="case-secret">([^<]+)<', html).group(1)
    case = Case.objects.get(code=code)
    assert case.urgency == "critical" and case.student is None
    assert secret not in str(Case.objects.filter(pk=case.pk).values().first())  # only a keyed hash is stored
    assert len(secret.replace("-", "")) == 26  # 26 × 5 bits = 130 bits
    # a counsellor answers; the child reads it with the code from another browser
    services.answer(actor=_user("tuvan"), case_id=case.pk, text="Cô ở đây với em. Em đang ở đâu?")
    from django.test import Client

    other = Client(REMOTE_ADDR="198.51.100.8")
    r = other.post("/tong-dai/ca-cua-toi/", {"code": code.lower(), "secret": secret})
    assert r.status_code == 302
    html = other.get("/tong-dai/ca-cua-toi/").content.decode()
    assert "Cô ở đây với em" in html and SELF_HARM in html
    # and writes again
    r = other.post("/tong-dai/ca-cua-toi/", {"text": "Em ở nhà một mình", "submission_key": "k-again-1"})
    assert r.status_code == 302
    assert case.messages.filter(author="child").count() == 2
    case.refresh_from_db()
    assert case.awaiting_answer


def _user(name):
    from cyberyouth.orgs.models import User

    return User.objects.get(username=name)


def test_the_same_form_posted_twice_makes_one_contact(anon):
    page = anon.get("/tong-dai/can-giup-do/")
    data = {"text": "Có người đòi ảnh của em", "kind": "self", "submission_key": _key(page)}
    before = Contact.objects.count()
    first = anon.post("/tong-dai/can-giup-do/", data)
    second = anon.post("/tong-dai/can-giup-do/", data)
    assert first.status_code == second.status_code == 200
    assert Contact.objects.count() == before + 1
    assert "đã được gửi rồi" in second.content.decode()


@pytest.mark.parametrize("text, words", [
    ("   ", "Hãy viết vài dòng"),
    ("a" * 1_000_000, "quá dài"),
    ("abc\x00\x01def", "ký tự điều khiển"),  # refused at the input boundary, before the helpline
])
def test_bad_messages_are_refused_in_vietnamese(anon, text, words):
    before = Message.objects.count()
    page = anon.get("/tong-dai/can-giup-do/")
    r = anon.post("/tong-dai/can-giup-do/", {"text": text, "kind": "self", "submission_key": _key(page)})
    assert r.status_code == 400 and words in r.content.decode()
    assert Message.objects.count() == before


def test_wrong_or_guessed_codes_are_refused_the_same_and_rate_limited(submit):
    done = submit()
    for code, secret in [("AAAAA-BBBBB", done.secret), (done.case.code, "WRONG"), ("", "")]:
        with pytest.raises(services.NotFound) as e:
            services.child_open(code=code, secret=secret, client_address="203.0.113.9")
        assert "chưa đúng" in e.value.message
    for _ in range(services.ATTEMPTS_PER_HOUR - 3):
        with pytest.raises(services.NotFound):
            services.child_open(code=done.case.code, secret="guess", client_address="203.0.113.9")
    with pytest.raises(services.DomainError) as e:  # now even the right secret waits
        services.child_open(code=done.case.code, secret=done.secret, client_address="203.0.113.9")
    assert e.value.code == "rate_limited"
    assert AccessAttempt.objects.filter(ok=False).count() >= services.ATTEMPTS_PER_HOUR
    # another address with the right pair gets in
    assert services.child_open(code=done.case.code, secret=done.secret, client_address="203.0.113.10") == done.case


def test_a_failed_triage_keeps_the_message_and_shows_it_failed(submit, monkeypatch):
    import cyberyouth.safety as safety

    def broken(text):
        raise RuntimeError("engine down")

    monkeypatch.setattr(safety, "analyze", broken)
    done = submit("Em cần nói chuyện")
    message = done.case.messages.get()
    assert message.triage_failed and message.text == "Em cần nói chuyện"
    assert done.case.urgency == "urgent"  # unknown is not "not urgent"
    rows = selectors.queue(actor=_user("tuvan"))
    assert any(r.case.pk == done.case.pk and r.last_child_message.triage_failed for r in rows)


def test_out_of_service_hours_is_said_first(anon, units, monkeypatch):
    from django.utils import timezone

    helpline = Helpline.objects.get(unit=units["hp-dk-cat-hai"])
    helpline.hours = {str(d): [["07:00", "08:00"]] for d in range(7)}
    helpline.save()
    late = timezone.make_aware(datetime(2026, 12, 2, 23, 30))
    monkeypatch.setattr(timezone, "now", lambda: late)
    html = anon.get("/tong-dai/can-giup-do/").content.decode()
    assert "ngoài giờ trực" in html and html.index("ngoài giờ trực") < html.index('name="text"')
    assert html.index("tel:111") < html.index("ngoài giờ trực")


def test_writing_again_twice_with_the_same_form_keeps_one_message(submit):
    done = submit("Em cần giúp")
    for _ in range(2):
        services.child_write(case=done.case, text="Em viết thêm", submission_key="same-form")
    assert done.case.messages.filter(text="Em viết thêm").count() == 1
    with pytest.raises(services.DomainError):
        services.child_write(case=done.case, text="", submission_key="other")
