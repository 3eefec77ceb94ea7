"""What feature apps add to the yearly report and the reviews, without the reports app knowing them.

An app declares on its AppConfig

    report_parts = "cyberyouth.campaigns.reporting:parts"

and that function, called as ``parts(actor=…, unit=…, year=…, unit_ids=…, is_school=…)``, returns
a list of `ReportPart` read from the app's own selectors — the same ones its dashboard reads, so
the report and the page cannot disagree (each app has a test that compares them). `unit_ids` are
the units that made up `unit` during `year` (`orgs.selectors.year_unit_ids`), already within the
actor's scope. A part that has nothing to say is simply not returned: the report never prints an
empty sentence for a capability nobody used.

Parts go under the heading of their task group (1–7, "II.1.N"), after the progress of that group,
or into the funding section (`section=FUNDING`). Within a place, parts keep the apps' menu order.
"""

import importlib
from dataclasses import dataclass

from .docx_layout import TableSpec

TASKS = "tasks"
FUNDING = "funding"


@dataclass(frozen=True)
class ReportPart:
    text: str  # one paragraph, a full Vietnamese sentence ending in "."
    group: int | None = None  # the task group (1–7) whose heading it goes under; None in FUNDING
    section: str = TASKS
    table: TableSpec | None = None  # printed after the paragraph, captioned by the app

    def __post_init__(self) -> None:
        if self.section not in (TASKS, FUNDING):
            raise ValueError(f"unknown report section {self.section!r}")
        if self.section == TASKS and not (self.group and 1 <= self.group <= 7):
            raise ValueError("a task part needs its task group, 1–7")


def collect(*, actor, unit, year: int, unit_ids: set[int], is_school: bool) -> list[ReportPart]:
    """Every app's parts for `unit` in `year`, in menu order."""
    from cyberyouth.web.registry import cyberyouth_apps

    parts: list[ReportPart] = []
    for config in sorted(cyberyouth_apps(), key=lambda c: getattr(c, "nav_order", 50)):
        hook = getattr(config, "report_parts", None)
        if hook:
            module_name, function = hook.split(":")
            parts.extend(getattr(importlib.import_module(module_name), function)(
                actor=actor, unit=unit, year=year, unit_ids=unit_ids, is_school=is_school))
    return parts


def of_group(parts: list[ReportPart], number: int) -> list[ReportPart]:
    return [p for p in parts if p.section == TASKS and p.group == number]


def funding(parts: list[ReportPart]) -> list[ReportPart]:
    return [p for p in parts if p.section == FUNDING]

