"""Background work of the students app (run by `cyberyouth worker`)."""

from django_tasks import task


@task(queue_name="default")
def deidentify_student(student_id: int, reason: str) -> dict:
    """De-identify one student's named data after the account consent was withdrawn."""
    from .services import student_deidentify

    student = student_deidentify(student_id=student_id, reason=reason)
    return {"student": student_id, "done": student is not None}
