"""A personal-data helper: what the students app holds about a student and their parents, for
"Dữ liệu của tôi" and `cyberyouth people export|erase` (Law 91/2025/QH15). A parent has no
account: their name and contact live on their child's record and on the consents they gave,
so a student's export and erasure cover the parents too."""

from .models import Student


def student_data(student: Student) -> dict:
    """A student's named data, class history, consents and Code-of-Conduct records."""
    return {
        "student": {"id": student.id, "school": student.unit.code, "full_name": student.full_name,
                    "date_of_birth": student.date_of_birth.isoformat() if student.date_of_birth else None,
                    "gender": student.get_gender_display(), "student_code": student.student_code,
                    "status": student.get_status_display(),
                    "left_on": student.left_on.isoformat() if student.left_on else None,
                    "deidentified": student.deidentified_at is not None},
        "parents": {"name": student.guardian_name, "contact": student.guardian_contact},
        "classes": [{"class": e.school_class.name, "school_year": e.school_class.school_year.name,
                     "school": e.unit.code, "from": e.valid_from.isoformat(),
                     "to": e.valid_to.isoformat() if e.valid_to else None, "end": e.get_end_reason_display()}
                    for e in student.enrolments.select_related("school_class__school_year", "unit")
                    .order_by("valid_from")],
        "consents": [{"purpose": c.get_purpose_display(), "given_by": c.guardian_name,
                      "student_agreed": c.student_agreed, "how": c.get_method_display(),
                      "signed_on": c.signed_on.isoformat(), "has_scan": bool(c.scan),
                      "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None}
                     for c in student.consents.order_by("recorded_at")],
        "code_of_conduct": [{"school_year": a.school_year.name, "on": a.acknowledged_on.isoformat(),
                             "how": a.get_source_display()}
                            for a in student.acknowledgements.select_related("school_year")],
        "violations": [{"school_year": v.school_year.name, "on": v.decided_on.isoformat(), "reason": v.reason}
                       for v in student.violations.select_related("school_year")],
    }


def export_person(*, person) -> dict | None:
    student = Student.objects.filter(user_id=person.pk).select_related("unit").first()
    return student_data(student) if student else None


def erase_person(*, person, actor, reason: str) -> None:
    """Erasing a student's account de-identifies their student record too (and the parents' data on it)."""
    from .services import student_deidentify

    student = Student.objects.filter(user_id=person.pk).first()
    if student is not None:
        student_deidentify(student_id=student.id, reason="erase", actor=actor)
