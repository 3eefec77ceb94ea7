"""The student's home tile of dialogues (a `students.registry` hook): a dialogue of their school
and class that takes questions now."""

from django.urls import reverse

from cyberyouth.students.registry import Tile

from . import selectors
from .models import Status


def tiles(request, student) -> list[Tile]:
    open_now = [d for d in selectors.student_dialogues(student=student) if d.status in (Status.PLANNED, Status.LIVE)]
    if not open_now:
        return []
    first = open_now[-1]  # the nearest one (the list is newest first)
    return [Tile(title="Đối thoại với thầy cô", url=reverse("dialogues:student_list"), icon="❝",
                 text=f"{first.title} — {first.held_on:%d/%m}. Gửi câu hỏi, bình chọn câu hỏi của bạn.")]
