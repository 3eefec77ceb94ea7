"""The student's home tiles — an app registry: any app's AppConfig may declare
`student_tiles = "cyberyouth.x.module:function"`, where `function(request, student)` returns a
list of `Tile`s open to this student now (contests, surveys, dialogues …). The students app puts
the Code of Conduct there itself; the help and report tiles are always shown."""

import importlib
from dataclasses import dataclass

from django.urls import reverse

from cyberyouth.web.registry import cyberyouth_apps

HELPLINE_PHONE = "111"  # Tổng đài quốc gia bảo vệ trẻ em, until the helpline app exists


@dataclass(frozen=True)
class Tile:
    title: str
    url: str
    text: str = ""
    icon: str = "★"
    done: bool = False


def tiles(request, student) -> list[Tile]:
    out: list[Tile] = []
    for config in sorted(cyberyouth_apps(), key=lambda c: getattr(c, "nav_order", 50)):
        hook = getattr(config, "student_tiles", None)
        if hook:
            module_name, function = hook.split(":")
            out.extend(getattr(importlib.import_module(module_name), function)(request, student) or [])
    return out


def own_tiles(request, student) -> list[Tile]:
    """The students app's own tile: the Code of Conduct, open until acknowledged this school year."""
    from .models import ConductAcknowledgement
    from .selectors import has_consent, open_enrolment

    enrolment = open_enrolment(student)
    if enrolment is None or not has_consent(student=student):
        return []
    done = ConductAcknowledgement.objects.filter(student=student,
                                                 school_year=enrolment.school_class.school_year).exists()
    return [Tile(title="Quy tắc ứng xử trên mạng xã hội", url=reverse("students:code_of_conduct"),
                 text="Em đã cam kết năm học này." if done else "Đọc 4 điều ngắn gọn và cam kết thực hiện.",
                 icon="✓" if done else "✎", done=done)]


def home_for(request) -> str | None:
    """Students go to their own home: an account with a student record, and one whose every role is
    "Học sinh" with no class list behind it (its home says what to ask for, and offers help)."""
    from cyberyouth.orgs.models import Role
    from cyberyouth.orgs.selectors import active_roles

    from .models import Student

    if Student.objects.filter(user_id=request.user.pk).exists():
        return reverse("students:home")
    roles = {r.role for r in active_roles(actor=request.user)}
    return reverse("students:home") if roles == {Role.STUDENT} else None
