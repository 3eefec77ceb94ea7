"""The helpline's rules as data: statuses and their moves, who may do what on a case, targets.

One table, read by services and selectors alike (Aselo keeps two copies of its rules and they
drifted apart). Relations of a person to a case: "counsellor" (assigned to it), "supervisor"
(holds `helpline.supervise` on the case's helpline through a role), "duty" (counsels at that
helpline — may pick up a case nobody holds yet). Superusers get none of these: helpline content
reaches people only through roles they hold.
"""

from .models import CaseStatus, ClockKind, EntryKind, Urgency

STATUS_LABELS = dict(CaseStatus.choices)  # the audit log reads the same labels from the field
OPEN_STATUSES = ("new", "in_progress", "referred")

# (from, to) → relations allowed to make the move
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("new", "in_progress"): frozenset({"counsellor", "supervisor", "duty"}),
    ("new", "closed"): frozenset({"counsellor", "supervisor"}),
    ("in_progress", "referred"): frozenset({"counsellor", "supervisor"}),
    ("in_progress", "closed"): frozenset({"counsellor", "supervisor"}),
    ("referred", "in_progress"): frozenset({"counsellor", "supervisor"}),
    ("referred", "closed"): frozenset({"counsellor", "supervisor"}),
    ("closed", "in_progress"): frozenset({"supervisor"}),  # reopening
}

# action → relations allowed. On a case nobody holds yet, a counsellor of its helpline may act
# ("duty_unassigned"); acting takes the case (services._locked), so it is then theirs alone.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"counsellor", "supervisor", "duty_unassigned"}),
    "answer": frozenset({"counsellor", "supervisor", "duty_unassigned"}),
    "note": frozenset({"counsellor", "supervisor", "duty_unassigned"}),
    "urgency": frozenset({"counsellor", "supervisor", "duty_unassigned"}),
    "take": frozenset({"duty", "supervisor"}),
    "assign": frozenset({"supervisor"}),
    "plan": frozenset({"counsellor", "supervisor", "duty_unassigned"}),
    "refer": frozenset({"counsellor", "supervisor", "duty_unassigned"}),
    "transfer": frozenset({"counsellor", "supervisor", "duty_unassigned"}),
    "openings": frozenset({"supervisor"}),
}

# Minutes to the first answer, counted in service hours from receipt (a helpline may change them).
FIRST_ANSWER_MINUTES = {Urgency.CRITICAL: 30, Urgency.URGENT: 120, Urgency.NOT_URGENT: 1440}

# Which clocks a case gets, by urgency (Decree 56/2017 Art. 26 as the school helpline applies it)
CLOCKS_FOR = {
    Urgency.CRITICAL: (ClockKind.FIRST_ANSWER, ClockKind.NOTIFY, ClockKind.DANGER, ClockKind.PLAN),
    Urgency.URGENT: (ClockKind.FIRST_ANSWER, ClockKind.NOTIFY, ClockKind.PLAN),
    Urgency.NOT_URGENT: (ClockKind.FIRST_ANSWER, ClockKind.PLAN),
}

# What stops each clock: only a recorded action of these types, never a note.
STOPPED_BY = {
    ClockKind.FIRST_ANSWER: frozenset({"answer", EntryKind.CALL}),
    ClockKind.NOTIFY: frozenset({"referral:authority", "referral:police", "referral:111"}),
    ClockKind.DANGER: frozenset({EntryKind.ACTION, "referral:police", "referral:111", "referral:health"}),
    ClockKind.PLAN: frozenset({EntryKind.PLAN}),
}

# Safety-engine flags that make a child's message critical.
CRITICAL_FLAGS = frozenset({"self_harm", "sexual"})
URGENT_FLAGS = frozenset({"violence", "harassment", "personal_data", "scam", "drugs", "gambling"})
