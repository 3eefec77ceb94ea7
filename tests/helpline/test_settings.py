"""Service hours, targets and the duty roster, set on the page by the helpline's supervisor."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cyberyouth.errors import DomainError, NotFound
from cyberyouth.helpline import selectors, services
from cyberyouth.helpline.models import DutyShift, Helpline, Urgency


@pytest.fixture
def zone_line(units):
    return Helpline.objects.get(unit=units["hp-dk-cat-hai"])


def _configure(actor, helpline, **changes):
    values = dict(name=helpline.name, phone="0225 3888 111", alert_email="", hours={"0": [["07:00", "17:00"]]},
                  holidays=False, first_answer_minutes={Urgency.CRITICAL: 20, Urgency.URGENT: 90,
                                                        Urgency.NOT_URGENT: 1440},
                  notify_hours=2, danger_hours=12, plan_working_days=5, warn_minutes=15)
    values.update(changes)
    return services.helpline_configure(actor=actor, helpline_id=helpline.pk, **values)


@pytest.mark.parametrize("text, spans", [
    ("07:00-11:30, 13:30-17:00", [["07:00", "11:30"], ["13:30", "17:00"]]),
    ("13h30 – 17h00; 7.00-11.30", [["07:00", "11:30"], ["13:30", "17:00"]]),
    ("", []), ("00:00-24:00", [["00:00", "24:00"]]),
])
def test_hours_are_read_as_people_write_them(text, spans):
    assert services.parse_hours(text, field="day_0") == spans


@pytest.mark.parametrize("text", ["7-11", "11:00-07:00", "07:00-12:00, 11:00-13:00", "25:00-26:00", "08:00-24:30"])
def test_bad_hours_are_refused_in_words(text):
    with pytest.raises(DomainError) as error:
        services.parse_hours(text, field="day_1")
    assert error.value.field == "day_1" and error.value.message


def test_supervisor_sets_targets_and_new_cases_use_them(people, zone_line, submit):
    _configure(people["giamsat"], zone_line, hours={str(d): [["00:00", "24:00"]] for d in range(7)}, holidays=True)
    zone_line.refresh_from_db()
    assert zone_line.first_answer_minutes[Urgency.CRITICAL] == 20 and zone_line.hours["holidays"] is True
    case = submit("Em muốn chết, em không muốn sống nữa").case
    clock = case.clocks.get(kind="first_answer")
    assert clock.due_at - clock.started_at == timedelta(minutes=20)


@pytest.mark.parametrize("changes, field", [
    ({"danger_hours": 13}, "danger_hours"), ({"plan_working_days": 6}, "plan_working_days"),
    ({"notify_hours": 13}, "notify_hours"), ({"name": "  "}, "name"),
    ({"first_answer_minutes": {Urgency.CRITICAL: 200, Urgency.URGENT: 100}}, "first_critical"),
])
def test_targets_beyond_the_decree_are_refused_and_nothing_changes(people, zone_line, changes, field):
    before = (zone_line.name, zone_line.danger_hours, zone_line.plan_working_days, zone_line.hours)
    with pytest.raises(DomainError) as error:
        _configure(people["giamsat"], zone_line, **changes)
    assert error.value.field == field
    zone_line.refresh_from_db()
    assert (zone_line.name, zone_line.danger_hours, zone_line.plan_working_days, zone_line.hours) == before


def test_only_helpline_managers_in_scope(people, zone_line, units):
    for username in ("tuvan", "daumoi.thcscatba", "lanhdao", "hocsinh"):
        with pytest.raises((NotFound, DomainError)):
            _configure(people[username], zone_line)
    school_line = Helpline.objects.get(unit=units["thcs-cat-ba"])
    assert {h.pk for h in selectors.managed_helplines(actor=people["giamsat"])} >= {zone_line.pk, school_line.pk}
    assert selectors.managed_helplines(actor=people["tuvan"]) == []
    assert school_line in selectors.managed_helplines(actor=people["thuongtruc"])


def test_roster_puts_a_counsellor_on_duty_and_refuses_clashes(people, zone_line):
    now = timezone.now()
    zone_line.shifts.all().delete()
    shift = services.shift_add(actor=people["giamsat"], helpline_id=zone_line.pk, user_id=people["tuvan"].pk,
                               starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3))
    assert selectors.on_duty(helpline=zone_line) == [people["tuvan"]]
    with pytest.raises(DomainError, match="trùng giờ"):
        services.shift_add(actor=people["giamsat"], helpline_id=zone_line.pk, user_id=people["tuvan"].pk,
                           starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=5))
    with pytest.raises(DomainError, match="tư vấn viên"):  # a focal point is no counsellor
        services.shift_add(actor=people["giamsat"], helpline_id=zone_line.pk, user_id=people["daumoi.thcscatba"].pk,
                           starts_at=now + timedelta(hours=5), ends_at=now + timedelta(hours=8))
    with pytest.raises(DomainError, match="kết thúc sau"):
        services.shift_add(actor=people["giamsat"], helpline_id=zone_line.pk, user_id=people["tuvan"].pk,
                           starts_at=now + timedelta(hours=9), ends_at=now + timedelta(hours=8))
    services.shift_remove(actor=people["giamsat"], shift_id=shift.pk)
    assert selectors.on_duty(helpline=zone_line) == []
    past = DutyShift.objects.create(helpline=zone_line, user=people["tuvan"], starts_at=now - timedelta(days=2),
                                    ends_at=now - timedelta(days=1))
    with pytest.raises(DomainError, match="đã qua"):
        services.shift_remove(actor=people["giamsat"], shift_id=past.pk)


def test_settings_page_saves_and_shows_errors_next_to_the_field(client_for, zone_line):
    client = client_for("giamsat")
    page = client.get(f"/tong-dai/cau-hinh/{zone_line.pk}/")
    assert page.status_code == 200 and "Giờ phục vụ" in page.content.decode()
    form = {k: v for k, v in page.context["form"].initial.items()}
    form.update({"day_0": "7h-11h", "holidays": ""})
    bad = client.post(f"/tong-dai/cau-hinh/{zone_line.pk}/", form)
    assert bad.status_code == 200 and "không phải khoảng giờ" in bad.content.decode()
    form.update({"day_0": "07:00-11:30, 13:30-17:00", "danger_hours": "8"})
    good = client.post(f"/tong-dai/cau-hinh/{zone_line.pk}/", form)
    assert good.status_code == 302
    zone_line.refresh_from_db()
    assert zone_line.danger_hours == 8 and zone_line.hours["0"] == [["07:00", "11:30"], ["13:30", "17:00"]]
    zone_line.shifts.all().delete()
    start = timezone.localtime() + timedelta(days=1)
    added = client.post(f"/tong-dai/cau-hinh/{zone_line.pk}/ca-truc/", {
        "user": page.context["shift_form"].fields["user"].choices[0][0],
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")})
    assert added.status_code == 302 and zone_line.shifts.count() == 1
    assert client_for("tuvan").get(f"/tong-dai/cau-hinh/{zone_line.pk}/").status_code == 403
