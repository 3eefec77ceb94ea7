"""The home-page card of a homeroom teacher: their classes this school year, with the class list's
figures (through the small-group rule, as on the class list) and the way to each class."""

from cyberyouth.orgs import selectors as org_selectors

from . import selectors


def panel(request):
    user = request.user
    if "class.teach" not in org_selectors.capabilities_held(actor=user):
        return None
    school_year = selectors.current_school_year()
    if school_year is None:
        return None
    mine = [c for c in selectors.classes_visible(actor=user, school_year=school_year) if c.homeroom_teacher_id == user.pk]
    rows = []
    for unit in sorted({c.unit for c in mine}, key=lambda u: u.name):
        figures = selectors.class_figures(actor=user, school_year=school_year, unit=unit)
        rows += [row for row in figures["classes"] if row["class"].homeroom_teacher_id == user.pk]
    return "students/_home.html", {"school_year": school_year, "rows": rows}
