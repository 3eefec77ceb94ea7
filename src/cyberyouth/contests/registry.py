"""The contests' tile on the student's home (the students app's `student_tiles` registry)."""

from django.urls import reverse

from . import selectors


def student_tiles(request, student) -> list:
    from cyberyouth.students.registry import Tile

    rows = selectors.student_rounds(student=student)
    if not rows:
        return []
    open_rows = [r for r in rows if r["open"] and (r["left"] or r["in_progress"])]
    if open_rows:
        text = f"Đang mở: {open_rows[0]['round'].title} — {open_rows[0]['contest'].title}."
    else:
        text = "Xem kết quả và giấy chứng nhận của em."
    return [Tile(title="Cuộc thi trực tuyến", url=reverse("contests:mine"), text=text, icon="★",
                 done=not open_rows)]
