"""The process cache of indicator figures: trees and totals are kept while a stamp of the data
they depend on (submissions, the unit tree, the definitions) does not change.

Several requests share it (a lock guards it); it holds a few dozen entries at most, oldest out
first. Services call `invalidate()` after changing definitions in place.
"""

import threading

from cyberyouth.orgs.models import Reorganisation, UnitSuccession, UnitVersion

from .models import DefinitionsVersion, Indicator, Milestone, Submission

_lock = threading.Lock()
_cache: dict = {}
_definitions_version = 0
SIZE = 32


def stamp() -> tuple:
    """Changes whenever a figure could: a submission saved, the tree reorganised, the
    definitions changed. One round trip over indexed maxima (submissions are never deleted).
    Items 2 and 3 change with the tree alone."""
    from django.db import connection

    tables = {
        "sub": Submission._meta.db_table, "reorg": Reorganisation._meta.db_table,
        "ver": UnitVersion._meta.db_table, "succ": UnitSuccession._meta.db_table,
        "mil": Milestone._meta.db_table, "ind": Indicator._meta.db_table,
    }
    qn = connection.ops.quote_name
    sql = "SELECT " + ", ".join([
        f"(SELECT MAX({qn('updated_at')}) FROM {qn(tables['sub'])})",
        *[f"(SELECT MAX({qn('id')}) FROM {qn(t)})" for t in tables.values()],
        f"(SELECT MAX({qn('version')}) FROM {qn(DefinitionsVersion._meta.db_table)})",
    ])
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = tuple(cursor.fetchone())
    return row + (_definitions_version,)


def invalidate() -> None:
    """Forget everything (called by services after definitions change in place, same ids)."""
    global _definitions_version
    with _lock:
        _definitions_version += 1
        _cache.clear()


def lookup(key, current_stamp):
    """The value remembered under `key` if it was computed at `current_stamp`, else None."""
    with _lock:
        hit = _cache.get(key)
    return hit[1] if hit is not None and hit[0] == current_stamp else None


def remember(key, current_stamp, value) -> None:
    with _lock:
        _cache.pop(key, None)
        _cache[key] = (current_stamp, value)
        while len(_cache) > SIZE:  # the oldest first (dicts keep insertion order)
            _cache.pop(next(iter(_cache)))
