"""A personal-data helper: what the dialogues app holds about a student — their named questions
and their votes — for "Dữ liệu của tôi" and `cyberyouth people export|erase`. Anonymous questions
are not theirs to export: nothing links them to anyone, which is the point."""

from cyberyouth.students.models import Student

from .models import Question, Vote


def export_person(*, person) -> dict | None:
    student = Student.objects.filter(user_id=person.pk).first()
    if student is None:
        return None
    return {
        "named_questions": [{"dialogue": q.dialogue.title, "held_on": q.dialogue.held_on.isoformat(),
                             "text": q.text, "asked_on": q.asked_on.isoformat(), "review": q.get_review_display(),
                             "answer": q.get_answer_display(), "answer_text": q.answer_text}
                            for q in Question.objects.filter(author=student).select_related("dialogue")],
        "votes": [{"dialogue": v.question.dialogue.title, "question": v.question.text, "on": v.voted_on.isoformat()}
                  for v in Vote.objects.filter(student=student).select_related("question__dialogue")],
    }


def erase_person(*, person, actor, reason: str) -> None:
    from .services import erase_student

    student = Student.objects.filter(user_id=person.pk).first()
    if student is not None:
        erase_student(student=student)
