"""Which unit types may stand under which, and which may carry another on — data, from the
plan's tree (`docs/plan-311.md` §1, section V of the plan) and Viet Nam's two-level local
government since 1/7/2025. `orgs.services` refuses any operation that breaks it.

Before 2025: province → district → commune / township, with the district's agencies, its
Youth Union and its schools (kindergarten, primary, primary+lower-secondary, lower-secondary,
the vocational & continuing education centre) under the district. Since 1/7/2025: province →
commune / ward / special zone, the schools under the commune level; upper-secondary schools and
colleges under the province (its Department). An agency (an education office) may also hold
schools; a school holds nothing but its own Youth Union branch, and no school stands under
another.
"""

from .models import UnitType as T

ADMINISTRATIVE = frozenset({T.PROVINCE, T.DISTRICT, T.SPECIAL_ZONE, T.COMMUNE, T.WARD, T.TOWNSHIP})
LOCAL_LEVELS = frozenset({T.DISTRICT, T.SPECIAL_ZONE, T.COMMUNE, T.WARD, T.TOWNSHIP})
BASIC_SCHOOLS = frozenset({T.KINDERGARTEN, T.PRIMARY, T.PRIMARY_LOWER_SECONDARY, T.LOWER_SECONDARY})
UPPER_SCHOOLS = frozenset({T.UPPER_SECONDARY, T.VOCATIONAL_CENTRE, T.VOCATIONAL_COLLEGE})

ROOT = None  # "at the top of the tree"

# unit type → the types of unit it may stand under (ROOT: it may be a root).
ALLOWED_PARENTS: dict[str, frozenset] = {
    # Any administrative unit may be the root: a deployment for one province, one district or
    # one special zone starts there (creating a root is for system administrators only).
    T.PROVINCE: frozenset({ROOT}),
    T.DISTRICT: frozenset({ROOT, T.PROVINCE}),
    T.SPECIAL_ZONE: frozenset({ROOT, T.PROVINCE}),
    # Under a special zone too: a zone set up at district level (the 2018 draft law's model)
    # keeps communes; Cát Hải's (commune level) simply has none.
    T.COMMUNE: frozenset({ROOT, T.PROVINCE, T.DISTRICT, T.SPECIAL_ZONE}),
    T.WARD: frozenset({ROOT, T.PROVINCE, T.DISTRICT, T.SPECIAL_ZONE}),
    T.TOWNSHIP: frozenset({ROOT, T.DISTRICT, T.SPECIAL_ZONE}),
    T.AGENCY: ADMINISTRATIVE | {T.AGENCY},
    T.YOUTH_UNION: ADMINISTRATIVE | {T.AGENCY, T.YOUTH_UNION} | UPPER_SCHOOLS,
    # Under the province too, for a tree that does not spell out the education department.
    **dict.fromkeys(BASIC_SCHOOLS, LOCAL_LEVELS | {T.PROVINCE, T.AGENCY}),
    T.UPPER_SECONDARY: frozenset({T.PROVINCE, T.DISTRICT, T.SPECIAL_ZONE, T.AGENCY}),
    T.VOCATIONAL_CENTRE: LOCAL_LEVELS - {T.TOWNSHIP} | {T.PROVINCE, T.AGENCY},
    T.VOCATIONAL_COLLEGE: frozenset({T.PROVINCE, T.DISTRICT, T.SPECIAL_ZONE, T.AGENCY}),
}

# A unit's history is carried on by a unit of the same family (the 2025 merge: a district into
# a special zone; schools into schools); never a school into a commune.
FAMILIES = (ADMINISTRATIVE, BASIC_SCHOOLS | UPPER_SCHOOLS, frozenset({T.AGENCY}), frozenset({T.YOUTH_UNION}))


def may_stand_under(unit_type: str, parent_type: str | None) -> bool:
    return parent_type in ALLOWED_PARENTS.get(unit_type, frozenset())


def may_carry_on(successor_type: str, predecessor_type: str) -> bool:
    return any(successor_type in family and predecessor_type in family for family in FAMILIES)


def parent_types_label(unit_type: str) -> str:
    """The allowed parents of `unit_type`, in words ("Tỉnh / thành phố, Huyện / quận")."""
    labels = dict(T.choices)
    allowed = ALLOWED_PARENTS.get(unit_type, frozenset())
    words = [labels[t] for t, _ in T.choices if t in allowed]
    if ROOT in allowed:
        words.insert(0, "gốc của cây đơn vị")
    return ", ".join(words) or "không loại nào"
