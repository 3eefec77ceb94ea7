from datetime import timedelta

import pytest
from django.utils import timezone

from cyberyouth.errors import DomainError, NotFound
from cyberyouth.surveys import services
from cyberyouth.surveys.models import Answer, PendingResponse, QuestionKind, Response, Survey

from .conftest import sheet

pytestmark = pytest.mark.django_db


def test_answer_after_closing_is_refused(make_class, launch, people):
    school_class, users = make_class(2)
    survey = launch([school_class])
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(DomainError) as late:
        services.answer_submit(survey=survey, answers=sheet(survey), actor=users[0])
    assert late.value.code == "not_open"
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() + timedelta(days=1))
    services.survey_close(actor=people["sysadmin"], survey=survey)
    with pytest.raises(DomainError):
        services.answer_submit(survey=survey, answers=sheet(survey), actor=users[1])
    assert not PendingResponse.objects.filter(survey=survey).exists()


def test_a_student_outside_the_audience_cannot_answer(make_class, launch):
    asked, _ = make_class(1, name="7X")
    _, others = make_class(1, name="7Y")
    survey = launch([asked])
    with pytest.raises(NotFound):
        services.answer_submit(survey=survey, answers=sheet(survey), actor=others[0])


def test_personal_data_is_masked_before_it_is_stored(make_class, launch, people):
    school_class, users = make_class(5)
    survey = launch([school_class])
    leak = "Nguyễn Văn Tuấn lớp 7Z hay bắt nạt em, số nó 0912 345 678, nhà số 12 đường Lê Lợi"
    for user in users:
        services.answer_submit(survey=survey, answers=sheet(survey, text=leak), actor=user)
    texts = list(Answer.objects.filter(response__survey=survey).exclude(text="").values_list("text", flat=True))
    assert len(texts) == 5
    for text in texts:
        assert "0912" not in text and "Tuấn" not in text and "Lê Lợi" not in text
        assert "[đã ẩn]" in text and "hay bắt nạt em" in text


def test_show_if_drops_answers_to_hidden_questions_and_required_ones_are_checked(make_class, launch):
    school_class, users = make_class(5)
    survey = launch([school_class])
    follow_up = survey.questions.get(show_if_question__isnull=False)
    raw = sheet(survey, bullied=1)  # "Không": the follow-up is hidden
    raw[str(follow_up.pk)] = [1, 2]
    clean = services.clean_answers(list(survey.questions.order_by("position")), raw)
    assert follow_up.pk not in clean
    raw = sheet(survey, bullied=3)
    raw[str(follow_up.pk)] = [1, 2]
    assert services.clean_answers(list(survey.questions.order_by("position")), raw)[follow_up.pk] == [1, 2]
    required = survey.questions.filter(required=True).first()
    raw.pop(str(required.pk))
    with pytest.raises(DomainError) as missing:
        services.clean_answers(list(survey.questions.order_by("position")), raw)
    assert missing.value.field == f"q{required.pk}"
    for bad in (99, "abc", [1, 1]):
        raw = sheet(survey)
        raw[str(required.pk)] = bad
        with pytest.raises(DomainError):
            services.clean_answers(list(survey.questions.order_by("position")), raw)


def test_a_launched_survey_cannot_change_its_questions(make_class, launch, people):
    school_class, _ = make_class(1)
    survey = launch([school_class])
    section = survey.sections.first()
    with pytest.raises(DomainError) as locked:
        services.question_add(actor=people["sysadmin"], survey=survey, section=section, kind=QuestionKind.TEXT,
                              text="Câu mới")
    assert locked.value.code == "locked"


def test_tallies_equal_a_recount_of_the_answers(make_class, launch, people):
    school_class, users = make_class(12)
    survey = launch([school_class])
    for i, user in enumerate(users):
        services.answer_submit(survey=survey, answers=sheet(survey, bullied=1 + i % 3, scale=1 + i % 5,
                                                            text="Mong có thêm giờ học kỹ năng."), actor=user)
    services.survey_close(actor=people["sysadmin"], survey=survey)
    from cyberyouth.surveys.models import Tally

    live = sorted(Tally.objects.filter(survey=survey).values_list("question_id", "choice", "unit_id", "n"))
    services.rebuild_tallies(survey=survey)
    rebuilt = sorted(Tally.objects.filter(survey=survey).values_list("question_id", "choice", "unit_id", "n"))
    assert live == rebuilt and Response.objects.filter(survey=survey).count() == 12
