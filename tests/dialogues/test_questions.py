"""Students' questions and votes: who may ask where, safety screening, duplicates, the limit,
one vote per student per question, and the anonymity of anonymous questions."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from cyberyouth.audit.models import AuditEntry
from cyberyouth.dialogues import selectors, services
from cyberyouth.dialogues.models import AskerTally, Question, Review, Vote
from cyberyouth.errors import DomainError, ErrorCode, NotFound
from cyberyouth.students.models import Student

pytestmark = pytest.mark.django_db


def _approve(world, q):
    return services.question_review(actor=world["fp"], question_id=q.id, approve=True)


def test_a_named_question_waits_for_a_person_then_shows(world):
    d = world["planned"]
    q = services.question_ask(actor=world["me"], dialogue_id=d.id, anonymous=False,
                              text="Thầy cô có thể tổ chức thêm giờ học nhóm vào buổi chiều không ạ?")
    assert q.review == Review.PENDING and q.author.user == world["me"] and not q.anonymous
    student = selectors.student_of(world["others"][0])
    rows, _ = selectors.student_questions(student=student, dialogue=d)
    assert q.id not in {r["question"].id for r in rows}  # not shown before a person approves it
    _approve(world, q)
    rows, _ = selectors.student_questions(student=student, dialogue=d)
    assert q.id in {r["question"].id for r in rows}
    assert AuditEntry.objects.filter(action="dialogues.ask", target_id=str(q.id), actor=world["me"]).exists()


def test_safety_screening_redacts_personal_data_and_flags_harm(world):
    d = world["planned"]
    q = services.question_ask(actor=world["me"], dialogue_id=d.id, anonymous=True,
                              text="Bạn Lan hay bị trêu, số nhà bạn ấy gọi là 0987 654 321, thầy cô giúp với ạ")
    assert "0987" not in q.text and "[số điện thoại]" in q.text and q.redacted == 1
    assert "personal_data" in q.flags
    bad = services.question_ask(actor=world["others"][0], dialogue_id=d.id, anonymous=True,
                                text="đm thằng óc chó lớp bên cạnh, bao giờ trường đuổi nó đi")
    assert bad.flags and bad.review == Review.PENDING
    # a person decides: not published, with a reason
    services.question_review(actor=world["fp"], question_id=bad.id, approve=False, reason="Lời lẽ xúc phạm")
    bad.refresh_from_db()
    assert bad.review == Review.REJECTED and bad.review_reason == "Lời lẽ xúc phạm"


def test_consent_duplicates_limits_and_bad_input(world, settings):
    d = world["planned"]
    with pytest.raises(DomainError) as named:
        services.question_ask(actor=world["no_consent"], dialogue_id=d.id, anonymous=False,
                              text="Em muốn hỏi về lịch thi học kỳ II ạ?")
    assert named.value.field == "anonymous"
    services.question_ask(actor=world["no_consent"], dialogue_id=d.id, anonymous=True,
                          text="Em muốn hỏi về lịch thi học kỳ II ạ?")
    with pytest.raises(DomainError) as dup:
        services.question_ask(actor=world["me"], dialogue_id=d.id, anonymous=True,
                              text="  em muon hoi ve LICH THI hoc ky II a!! ")
    assert dup.value.code == ErrorCode.DUPLICATE
    settings.DIALOGUES_QUESTIONS_PER_STUDENT = 2
    me = world["me"]
    services.question_ask(actor=me, dialogue_id=d.id, anonymous=True, text="Câu hỏi thứ nhất về thư viện ạ?")
    services.question_ask(actor=me, dialogue_id=d.id, anonymous=False, text="Câu hỏi thứ hai về sân bóng ạ?")
    before = Question.objects.count()
    with pytest.raises(DomainError) as limit:
        services.question_ask(actor=me, dialogue_id=d.id, anonymous=True, text="Câu hỏi thứ ba về căng tin ạ?")
    assert limit.value.code == ErrorCode.RATE_LIMITED and Question.objects.count() == before
    for text in ("", "ngắn", "x" * 501, "có ký tự \x00 lạ trong câu hỏi này"):
        with pytest.raises(DomainError):
            services.question_ask(actor=world["others"][1], dialogue_id=d.id, anonymous=True, text=text)
    assert Question.objects.count() == before


def test_a_question_to_another_schools_dialogue_is_refused(world, client_for, api_for):
    other = world["other_school"]
    before = Question.objects.count()
    with pytest.raises(NotFound):
        services.question_ask(actor=world["me"], dialogue_id=other.id, anonymous=True,
                              text="Em hỏi sang trường khác có được không ạ?")
    page = client_for("hs.thptcatba.10a").post(f"/doi-thoai/cua-em/{other.id}/",
                                                {"text": "Em hỏi sang trường khác có được không ạ?"})
    assert page.status_code == 404
    api = api_for("hs.thptcatba.10a").post(f"/api/dialogues/mine/{other.id}/questions",
                                            {"text": "Em hỏi sang trường khác có được không ạ?", "anonymous": True},
                                            content_type="application/json")
    assert api.status_code == 404 and api.json()["detail"][0]["code"] == "not_found"
    assert Question.objects.count() == before
    # and the other school's student cannot vote on THPT Cát Bà's questions
    q = Question.objects.filter(dialogue=world["planned"], review=Review.APPROVED).first()
    with pytest.raises(NotFound):
        services.question_vote(actor=world["gdnn_student"], question_id=q.id)


def test_one_vote_per_student_per_question_anonymous_ones_too(world, api_for):
    d = world["planned"]
    q = services.question_ask(actor=world["others"][0], dialogue_id=d.id, anonymous=True,
                              text="Trường có thể mở thêm lớp bơi cho học sinh vào mùa hè không ạ?")
    with pytest.raises(NotFound):  # not approved yet: nothing to vote on
        services.question_vote(actor=world["me"], question_id=q.id)
    _approve(world, q)
    assert services.question_vote(actor=world["me"], question_id=q.id).vote_count == 1
    with pytest.raises(DomainError) as twice:
        services.question_vote(actor=world["me"], question_id=q.id)
    assert twice.value.code == ErrorCode.DUPLICATE
    again = api_for("hs.thptcatba.10a").post(f"/api/dialogues/questions/{q.id}/votes")
    assert again.status_code == 400 and again.json()["detail"][0]["code"] == "duplicate"
    me = selectors.student_of(world["me"])
    with pytest.raises(IntegrityError), transaction.atomic():  # the database itself refuses a second row
        Vote.objects.create(question=q, student=me, voted_on=q.asked_on)
    assert api_for("hs.test.1").post(f"/api/dialogues/questions/{q.id}/votes").status_code == 201
    q.refresh_from_db()
    assert q.vote_count == 2 == Vote.objects.filter(question=q).count()
    with pytest.raises(DomainError):  # a vote is a named record: it needs the parents' consent
        services.question_vote(actor=world["no_consent"], question_id=q.id)


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def test_anonymous_questions_cannot_be_joined_to_a_person(world):
    """The test tries: an anonymous question writes exactly two rows — the question (no author,
    a random key, a day) and a one-way tally (a hash and a count) — and nothing else: no audit
    entry, no notification, no link from any table to the student or their account."""
    d = world["planned"]
    asker = world["me"]
    student = selectors.student_of(asker)
    before = _counts()
    q = services.question_ask(actor=asker, dialogue_id=d.id, anonymous=True,
                              text="Em thấy áp lực điểm số quá nhiều, thầy cô có lời khuyên gì không ạ?")
    after = _counts()
    changed = {label: after[label] - before[label] for label in after if after[label] != before[label]}
    assert changed == {"dialogues.Question": 1, "dialogues.AskerTally": 1}, changed
    row = Question.objects.values().get(id=q.id)
    assert row["author_id"] is None and row["anonymous"] is True and row["reviewed_by_id"] is None
    assert not any(str(v) in (str(student.id), str(asker.id), student.full_name, asker.username)
                   for k, v in row.items() if k not in ("dialogue_id", "redacted", "vote_count"))
    # the tally holds a hash and a count: no foreign key, no time, no id that says an order
    tally_fields = {f.name: f for f in AskerTally._meta.get_fields()}
    assert set(tally_fields) == {"key", "count"} and tally_fields["key"].primary_key
    assert not any(f.is_relation for f in Question._meta.get_fields() if f.name not in ("dialogue", "author",
                   "reviewed_by", "votes"))
    # someone holding the server's secret finds the asker's tally — a count, which says nothing of which question
    tally = AskerTally.objects.get(key=services.tally_key(dialogue_id=d.id, student_id=student.id))
    assert tally.count == 1 and str(q.id) not in tally.key
    # the question's key is random and its time is a day: no order of arrival to line up with anything
    assert q.id.version == 4 and type(row["asked_on"]).__name__ == "date"
    # nothing in the audit log points at it
    assert not AuditEntry.objects.filter(target_id=str(q.id)).exists()
    # the staff's view and the API have no author to show
    staff_rows = {x.id: x for x in selectors.questions_for_staff(dialogue=d)}
    assert staff_rows[q.id].author is None


def test_erasure_keeps_the_minutes_without_the_name(world):
    d = world["planned"]
    q = services.question_ask(actor=world["me"], dialogue_id=d.id, anonymous=False,
                              text="Em đề nghị trường có thêm tủ sách tiếng Anh ạ?")
    _approve(world, q)
    other = services.question_ask(actor=world["others"][2], dialogue_id=d.id, anonymous=True,
                                  text="Trường có thể tổ chức ngày hội đọc sách không ạ?")
    _approve(world, other)
    services.question_vote(actor=world["me"], question_id=other.id)
    from cyberyouth.dialogues.privacy import export_person

    data = export_person(person=world["me"])
    assert [x["text"] for x in data["named_questions"]] == [q.text]
    assert other.text in [v["question"] for v in data["votes"]]
    services.erase_student(student=Student.objects.get(user=world["me"]))
    q.refresh_from_db()
    other.refresh_from_db()
    assert q.author is None and q.anonymous and other.vote_count >= 1
    assert not Vote.objects.filter(student__user=world["me"]).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_row_version_does_not_tie_a_tally_to_a_question():
    """On PostgreSQL every row a transaction writes carries its id (`xmin`): right after an
    anonymous ask the tally and the question share it — the worker's hourly re-stamp ends that."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    from datetime import date, timedelta

    from cyberyouth.dialogues.models import Dialogue
    from cyberyouth.orgs.models import Unit, User
    from cyberyouth.students.models import Enrolment, SchoolClass, SchoolYear

    unit = Unit.objects.create(code="thpt-thu", name="Trường THPT Thử", unit_type="upper_secondary",
                               valid_from=date(2020, 1, 1))
    year = SchoolYear.objects.create(name="T", starts_on=date.today() - timedelta(days=30),
                                     ends_on=date.today() + timedelta(days=200))
    cls = SchoolClass.objects.create(unit=unit, school_year=year, name="10A", grade=10)
    dialogue = Dialogue.objects.create(unit=unit, title="Đối thoại", held_on=date.today() + timedelta(days=3),
                                       mode="online", meeting_url="https://meet.google.com/x")
    users = []
    for i in range(3):
        user = User.objects.create_user(username=f"hs.thu.{i}", password="x")
        student = Student.objects.create(unit=unit, full_name=f"Thử Văn {i}", user=user)
        Enrolment.objects.create(student=student, school_class=cls, unit=unit, valid_from=year.starts_on)
        users.append(user)
    for i, user in enumerate(users):
        services.question_ask(actor=user, dialogue_id=dialogue.id, anonymous=True,
                              text=f"Câu hỏi ẩn danh số {i + 1} về thư viện của trường ạ?")
    join = ("SELECT COUNT(*) FROM dialogues_askertally t JOIN dialogues_question q ON q.xmin = t.xmin "
            "WHERE q.anonymous")
    with connection.cursor() as cursor:
        cursor.execute(join)
        assert cursor.fetchone()[0] == 3  # the leak the re-stamp is for: each ask's two rows, one xmin
        services.restamp()
        cursor.execute(join)
        assert cursor.fetchone()[0] == 0
