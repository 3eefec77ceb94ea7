"""What the surveys app holds about a person (Law 91/2025): only which surveys a student has
answered and on which day — never what they answered, which nobody can find again."""

from .models import Participation


def export_person(*, person) -> dict | None:
    rows = list(Participation.objects.filter(student__user_id=person.pk).select_related("survey")
                .order_by("day", "survey__title"))
    if not rows:
        return None
    return {"đã trả lời khảo sát": [{"khảo sát": p.survey.title, "ngày": p.day.isoformat()} for p in rows],
            "ghi chú": "Câu trả lời được lưu ẩn danh, không gắn với tài khoản, nên không thể trích xuất hay xóa riêng."}


def erase_person(*, person, actor, reason: str) -> None:
    """The "who has answered" rows lose the person (the counts of the response rate stay)."""
    Participation.objects.filter(student__user_id=person.pk).update(student=None)
