"""Providers: data elements whose value another app computes.

A feature app registers a provider in its AppConfig.ready():

    from cyberyouth.indicators.providers import register
    register("channels.active", "Số kênh thông tin đang hoạt động (sổ kênh)", active_channels_by_unit)

where the function is `fn(*, unit_ids: set[int], year: int) -> dict[int, int]` (a value per
unit, as at the end of `year` or today for the current year). A data element whose `provider`
names the key is filled from it: the value is captured into the submission when the unit
saves or submits, so approved figures stay locked even if the registry changes later.

A `partial` provider answers only for the units that keep the records it reads (the students
app: schools with class lists); every other unit keeps entering the element by hand. `url`
(optional) names the page of the records, which the yearly form links to; "{unit}" and "{year}"
in it are replaced by the unit's code and the report's year.
Dependencies point one way: apps import this module, it imports none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    fn: Callable[..., dict[int, int]]
    partial: bool = False
    url: str = ""


_REGISTRY: dict[str, Provider] = {}


def register(key: str, label: str, fn: Callable[..., dict[int, int]], *, partial: bool = False,
             url: str = "") -> None:
    _REGISTRY[key] = Provider(key=key, label=label, fn=fn, partial=partial, url=url)


def get(key: str) -> Provider | None:
    return _REGISTRY.get(key)


def all_providers() -> list[Provider]:
    return sorted(_REGISTRY.values(), key=lambda p: p.key)


def fed(key: str, *, unit_id: int, year: int) -> int | None:
    """The provider's value for one unit, or None when the unit enters the element by hand
    (no such provider, or a partial one without records for the unit)."""
    provider = _REGISTRY.get(key)
    if provider is None:
        return None
    values = provider.fn(unit_ids={unit_id}, year=year)
    if provider.partial and unit_id not in values:
        return None
    return values.get(unit_id, 0)


def provide(key: str, *, unit_ids: set[int], year: int) -> dict[int, int]:
    provider = _REGISTRY.get(key)
    if provider is None:
        return {}
    return provider.fn(unit_ids=set(unit_ids), year=year)
