"""The question bank: versions, approval by a second person, import and export (XLSX, Moodle XML, GIFT)."""

from pathlib import Path

import pytest

from cyberyouth.contests import bankfile, selectors, services
from cyberyouth.contests.models import Question, QuestionVersion
from cyberyouth.errors import DomainError, NotFound, ScopeError

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def test_a_question_is_drawn_only_after_a_second_person_approves_it(cworld):
    zone, author = cworld["zone"], cworld["author"]
    v = services.question_create(actor=author, unit=zone, kind="single", text="Thủ đô của Việt Nam là?",
                                 options=[("Hà Nội", True), ("Huế", False)])
    assert v.question.live is None
    with pytest.raises(DomainError) as err:
        services.question_approve(actor=author, version=v)
    assert err.value.code == services.SAME_PERSON
    services.question_approve(actor=cworld["approver"], version=v)
    assert Question.objects.get(pk=v.question_id).live_id == v.id


def test_a_new_question_tells_the_people_who_may_approve_it_not_its_author(cworld):
    from cyberyouth.notifications.models import Notification

    zone, author, approver = cworld["zone"], cworld["author"], cworld["approver"]
    services.question_create(actor=author, unit=zone, kind="single", text="Ngày Giải phóng Hải Phòng là?",
                             options=[("13/5/1955", True), ("30/4/1975", False)])
    told = Notification.objects.filter(title__contains="Ngày Giải phóng Hải Phòng")
    assert approver.pk in set(told.values_list("recipient_id", flat=True))
    assert not told.filter(recipient=author).exists()
    assert told.first().link.endswith("?loc=pending")
    # a student (no contest.manage) hears nothing
    assert not told.filter(recipient=cworld["students"][0].user).exists()


def test_editing_an_approved_question_makes_a_new_version_and_attempts_keep_theirs(cworld):
    first = cworld["versions"][0]
    student = cworld["students"][0]
    attempt = services.attempt_start(actor=student.user, rnd=cworld["round"])
    new = services.question_edit(actor=cworld["author"], question=first.question, kind="single",
                                 text="Bác Hồ đọc Tuyên ngôn Độc lập ngày nào?",
                                 options=[("2/9/1945", True), ("19/8/1945", False)])
    assert new.number == 2 and not new.approved
    first.refresh_from_db()
    assert first.text.startswith("Chủ tịch") and Question.objects.get(pk=first.question_id).live_id == first.id
    # a draft is changed in place until approved
    again = services.question_edit(actor=cworld["author"], question=first.question, kind="single",
                                   text="Bác Hồ đọc bản Tuyên ngôn Độc lập vào ngày nào?",
                                   options=[("2/9/1945", True), ("19/8/1945", False)])
    assert again.id == new.id and QuestionVersion.objects.filter(question=first.question).count() == 2
    services.question_approve(actor=cworld["approver"], version=again)
    view = selectors.attempt_view(attempt)
    assert any(s["text"].startswith("Chủ tịch Hồ Chí Minh đọc") for s in view["slots"])


def test_bad_question_refused_with_the_reason(cworld):
    with pytest.raises(DomainError, match="1 phương án đúng"):
        services.question_create(actor=cworld["author"], unit=cworld["zone"], kind="single", text="Câu?",
                                 options=[("A", True), ("B", True)])


def test_import_moodle_xml_sample(people, units):
    data = (SAMPLES / "moodle.xml").read_bytes()
    versions = services.bank_import(actor=people["daumoi.thcscatba"], unit=units["thcs-cat-ba"], data=data,
                                    name="bank.xml")
    assert len(versions) == 3
    single, multiple, tf = versions
    assert single.kind == "single" and single.text.startswith("Ai lãnh đạo") and "<" not in single.text
    assert [o["text"] for o in single.options if o["correct"]] == ["Ngô Quyền"]
    assert "Lịch sử Việt Nam" in [t.name for t in single.tags.all()]
    assert multiple.kind == "multiple" and multiple.difficulty == 1
    assert [o["correct"] for o in multiple.options] == [True, True, False]
    assert tf.kind == "truefalse" and tf.options[0] == {"text": "Đúng", "correct": True}
    assert not any(v.approved for v in versions)


def test_import_gift_sample(people, units):
    data = (SAMPLES / "bank.gift").read_bytes()
    versions = services.bank_import(actor=people["daumoi.thcscatba"], unit=units["thcs-cat-ba"], data=data,
                                    name="bank.gift")
    assert [v.kind for v in versions] == ["single", "truefalse", "multiple"]
    assert versions[0].explanation.startswith("Ngày 13/5/1955")
    assert versions[2].text == "Trước khi chia sẻ một tin trên mạng, em nên:"
    assert {t.name for t in versions[2].tags.all()} == {"Lịch sử Việt Nam", "Quy tắc ứng xử"}


@pytest.mark.parametrize("fmt", ["xlsx", "xml", "gift"])
def test_export_imports_again_unchanged(fmt, cworld):
    questions = selectors.export_questions(unit=cworld["zone"])
    data = {"xlsx": lambda q: bankfile.write_xlsx(q), "xml": bankfile.write_moodle_xml,
            "gift": lambda q: bankfile.write_gift(q).encode()}[fmt](questions)
    back = bankfile.read(data, f"bank.{fmt}")
    assert [(q.kind, q.text, q.options, q.explanation, q.source, q.difficulty, sorted(q.tags)) for q in back] == \
        [(q.kind, q.text, q.options, q.explanation, q.source, q.difficulty, sorted(q.tags)) for q in questions]


def test_broken_xml_imports_nothing(cworld):
    before = Question.objects.count()
    with pytest.raises(bankfile.BankFileErrors, match="XML hỏng"):
        services.bank_import(actor=cworld["author"], unit=cworld["zone"], data=b"<quiz><question>", name="a.xml")
    with pytest.raises(bankfile.BankFileErrors, match="DOCTYPE"):
        services.bank_import(actor=cworld["author"], unit=cworld["zone"], name="a.xml",
                             data=b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "x">]><quiz/>')
    assert Question.objects.count() == before


def test_one_bad_question_in_a_file_imports_none_and_says_where(cworld):
    gift = ("::A:: Câu tốt? {=Đúng rồi ~Sai rồi}\n\n::B:: Câu không có đáp án đúng? {~Một ~Hai}\n\n"
            "::C:: Câu ghép đôi {=a -> 1 =b -> 2}\n").encode()
    before = Question.objects.count()
    with pytest.raises(bankfile.BankFileErrors) as err:
        services.bank_import(actor=cworld["author"], unit=cworld["zone"], data=gift, name="x.gift")
    where = [f["where"] for f in err.value.as_list()]
    assert any(w.startswith("câu 2") for w in where) and any(w.startswith("câu 3") for w in where)
    assert Question.objects.count() == before


def test_xlsx_with_a_formula_imports_nothing(cworld):
    import io

    from openpyxl import load_workbook

    data = bankfile.write_xlsx(selectors.export_questions(unit=cworld["zone"])[:2])
    wb = load_workbook(io.BytesIO(data))
    wb["Câu hỏi"]["D3"] = "=CONCAT(\"a\",\"b\")"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(bankfile.BankFileErrors) as err:
        bankfile.read(out.getvalue(), "a.xlsx")
    assert err.value.faults[0].where.startswith("dòng 3") and "công thức" in err.value.faults[0].reason


def test_the_same_file_twice_is_refused_the_second_time(people, units):
    data = (SAMPLES / "bank.gift").read_bytes()
    school, unit = people["daumoi.thcscatba"], units["thcs-cat-ba"]
    services.bank_import(actor=school, unit=unit, data=data, name="bank.gift")
    with pytest.raises(bankfile.BankFileErrors, match="đã có trong ngân hàng"):
        services.bank_import(actor=school, unit=unit, data=data, name="bank.gift")


def test_a_school_cannot_write_or_read_the_zone_bank(cworld, people):
    school = people["daumoi.thcscatba"]
    with pytest.raises((ScopeError, NotFound)):
        services.question_create(actor=school, unit=cworld["zone"], kind="truefalse", text="Câu?",
                                 options=[("Đúng", True), ("Sai", False)])
    with pytest.raises(NotFound):
        selectors.get_question(actor=school, question_id=cworld["versions"][0].question_id)
