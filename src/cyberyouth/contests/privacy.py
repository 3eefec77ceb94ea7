"""A personal-data helper: a student's attempts, results and certificates, for "Dữ liệu của tôi"
and `cyberyouth people export|erase`. Erasure of the student record (students app) leaves the
rows without a name: attempts point at the de-identified record, and lists show a pseudonym."""

from .models import Attempt, Certificate


def export_person(*, person) -> dict | None:
    from cyberyouth.students.models import Student

    student = Student.objects.filter(user_id=person.pk).first()
    if student is None:
        return None
    attempts = Attempt.objects.filter(student=student).select_related("round__contest").order_by("started_at")
    return {
        "attempts": [{"contest": a.round.contest.title, "round": a.round.title, "number": a.number,
                      "started_at": a.started_at.isoformat(), "state": a.get_state_display(),
                      "score": a.score, "prediction": a.prediction, "duration_ms": a.duration_ms,
                      "answers": a.answers.count()} for a in attempts],
        "certificates": [{"code": c.code, "round": c.round.title, "score": c.score, "rank": c.rank,
                          "issued_at": c.issued_at.isoformat(), "named": c.named}
                         for c in Certificate.objects.filter(student=student).select_related("round")],
    }


def erase_person(*, person, actor, reason: str) -> None:
    """Certificates printed with the name are withdrawn from the public page (the file is deleted);
    the results stay, without a name."""
    from cyberyouth.students.models import Student

    student = Student.objects.filter(user_id=person.pk).first()
    if student is None:
        return
    for cert in Certificate.objects.filter(student=student, named=True):
        cert.pdf.delete(save=False)
        cert.named = False
        cert.save(update_fields=["pdf", "named"])
