"""The student's home tile of the teams app (students app registry, `student_tiles`)."""

from django.urls import reverse

from cyberyouth.students.registry import Tile


def student_tiles(request, student) -> list[Tile]:
    """"Đội, câu lạc bộ của em" for a student who is a member of one (consent in force)."""
    from . import selectors

    mine = selectors.my_teams(actor=request.user)
    if not mine:
        return []
    names = ", ".join(t.name for t in mine[:2]) + ("…" if len(mine) > 2 else "")
    return [Tile(title="Đội, câu lạc bộ của em", url=reverse("teams:mine"), text=names, icon="✉")]
