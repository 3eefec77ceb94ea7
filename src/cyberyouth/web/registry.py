"""How feature apps plug into the shell without editing it.

An app's AppConfig may declare:
    url_prefix = "chi-tieu/"                 → its urls.py is mounted there (namespace = app label)
    nav = [("indicators:dashboard", "Chỉ tiêu", "capability or None")]   → menu entries
    nav_order = 50                           → position of those entries (lower first)
    home_panel = "cyberyouth.x.home:panel"   → a card on the home page: panel(request) returns
                                               (template name, context) or None
    search = "cyberyouth.x.selectors:search" → results in the shell's search box (see `search_groups`)
    home_redirect = "cyberyouth.x.home:target" → target(request) returns a URL to send the person to
                                               instead of the staff home (students), or None
    housekeeping = "cyberyouth.x.services:fn"  → fn() run hourly by the worker (retention rules)
    report_parts = "cyberyouth.x.reporting:parts" → the app's paragraphs in the yearly report and the
                                               reviews (see `reports.contributions`)
    personal_data = "cyberyouth.x.privacy:export" / personal_erase = "…:erase" → what the app holds
                                               about a person, in "Dữ liệu của tôi" and `people export|erase`
and may have `api.py` with `router` (mounted at /api/<label>/) and `demo.py` with
`load(*, actor)` (run by `cyberyouth demo`).
"""

import importlib

from django.apps import apps


def cyberyouth_apps():
    return [c for c in apps.get_app_configs() if c.name.startswith("cyberyouth.")]


def optional_module(config, name: str):
    try:
        return importlib.import_module(f"{config.name}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{config.name}.{name}":
            return None
        raise


def nav_entries():
    """Menu entries of all apps, ordered by the apps' `nav_order` (default 50)."""
    entries = []
    for config in sorted(cyberyouth_apps(), key=lambda c: getattr(c, "nav_order", 50)):
        entries.extend(getattr(config, "nav", []))
    return entries


def home_panels(request) -> list[tuple[str, dict]]:
    """The cards apps put on the person's home page, in menu order."""
    panels = []
    for config in sorted(cyberyouth_apps(), key=lambda c: getattr(c, "nav_order", 50)):
        hook = getattr(config, "home_panel", None)
        if hook:
            module_name, function = hook.split(":")
            panel = getattr(importlib.import_module(module_name), function)(request)
            if panel:
                panels.append(panel)
    return panels


def search_groups(request, text: str) -> list[tuple[str, list]]:
    """The shell's search: every app's `search` hook ("module:function", called as
    function(actor=…, text=…) and returning [(heading, [SearchHit…])] within the actor's scope)."""
    groups = []
    for config in sorted(cyberyouth_apps(), key=lambda c: getattr(c, "nav_order", 50)):
        hook = getattr(config, "search", None)
        if hook:
            module_name, function = hook.split(":")
            groups.extend((heading, hits) for heading, hits in
                          getattr(importlib.import_module(module_name), function)(actor=request.user, text=text) if hits)
    return groups
