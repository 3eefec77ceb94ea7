"""Vietnamese order in the database: `Vietnamese("name")` sorts a queryset the way `lib.text.vi_key` sorts a list.

PostgreSQL uses its ICU collation for Vietnamese ("vi-x-icu") when the server has it; SQLite gets a
collation named "vi" registered on every connection, computed with `vi_key`. Both give the same
order (a test compares them). On a PostgreSQL built without ICU the expression falls back to the
database's own order; `vi_sorted` (lib.text) is then the way to get Vietnamese order.
"""

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models.functions import Collate

from .text import vi_key

POSTGRESQL_COLLATION = "vi-x-icu"
SQLITE_COLLATION = "vi"

_available: dict[str, bool] = {}


def _compare(a: str | None, b: str | None) -> int:
    ka, kb = vi_key(a), vi_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: teach each SQLite connection the "vi" collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


connection_created.connect(register_sqlite, dispatch_uid="cyberyouth.lib.collation")


def collation_name(connection: Any) -> str | None:
    """The collation giving Vietnamese order on `connection`, or None where there is none."""
    if connection.vendor == "sqlite":
        return SQLITE_COLLATION
    if connection.vendor == "postgresql":
        if connection.alias not in _available:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [POSTGRESQL_COLLATION])
                _available[connection.alias] = cursor.fetchone() is not None
        return POSTGRESQL_COLLATION if _available[connection.alias] else None
    return None


class Vietnamese(Collate):
    """`expression` (a field name or expression) in Vietnamese alphabetical order, for `order_by`."""

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, SQLITE_COLLATION)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        name = collation_name(connection)
        if name is None:
            return compiler.compile(self.source_expressions[0])
        extra_context["collation"] = connection.ops.quote_name(name)
        return super().as_sql(compiler, connection, **extra_context)
