"""The national list of provinces and commune-level units (after the 1/7/2025 reform), as
shipped by the `vietnam-provinces` package: looked up, never typed by hand."""

from dataclasses import dataclass
from functools import lru_cache

from vietnam_provinces import VietNamDivisionType
from vietnam_provinces.lookup import PROVINCE_MAPPING, WARD_MAPPING

from cyberyouth.lib.text import vi_key

from .models import UnitType

_TYPES = {
    VietNamDivisionType.TINH: UnitType.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitType.PROVINCE,
    VietNamDivisionType.XA: UnitType.COMMUNE,
    VietNamDivisionType.PHUONG: UnitType.WARD,
    VietNamDivisionType.DAC_KHU: UnitType.SPECIAL_ZONE,
}
# Since the reform the national list has only these levels; older units have no current code.
OFFICIAL_TYPES = frozenset(_TYPES.values())


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    unit_type: str
    province_code: str | None  # None for a province


@lru_cache(maxsize=1)
def _index() -> dict[str, OfficialUnit]:
    index = {}
    for p in PROVINCE_MAPPING.values():
        index[str(int(p.code))] = OfficialUnit(str(int(p.code)), p.name, _TYPES[p.division_type], None)
    for w in WARD_MAPPING.values():
        index[str(int(w.code))] = OfficialUnit(str(int(w.code)), w.name, _TYPES[w.division_type],
                                               str(int(w.province_code)))
    return index


def official_unit(code: str) -> OfficialUnit | None:
    return _index().get(str(code).strip().lstrip("0") or "0")


def official_units_of_province(province_code: str) -> list[OfficialUnit]:
    return sorted((u for u in _index().values() if u.province_code == str(int(province_code))), key=lambda u: vi_key(u.name))


def search_official(query: str, limit: int = 20) -> list[OfficialUnit]:
    q = query.strip().lower()
    return [u for u in _index().values() if q in u.name.lower()][:limit] if q else []
