from datetime import date
from decimal import Decimal
from typing import Literal

from ninja import Field, Router, Schema, Status

from cyberyouth.errors import DomainError

from . import selectors, services
from .decorators import requires
from .models import Unit, UnitType

API_MOUNT = "units"
router = Router(tags=["units"])

UnitTypeName = Literal[tuple(UnitType.values)]  # type: ignore[valid-type]


class UnitOut(Schema):
    code: str
    name: str
    unit_type: str
    official_code: str
    parent: str | None
    valid_from: date
    valid_to: date | None
    is_demo: bool


class TreeNodeOut(Schema):
    code: str
    name: str
    unit_type: str
    children: list["TreeNodeOut"]


class VersionOut(Schema):
    name: str
    parent: str | None
    valid_from: date
    valid_to: date | None


class SuccessionOut(Schema):
    predecessor: str
    successor: str
    effective_date: date
    share: Decimal


class HistoryOut(Schema):
    unit: UnitOut
    versions: list[VersionOut]
    predecessors: list[SuccessionOut]
    successors: list[SuccessionOut]


class UnitIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(min_length=1, max_length=200)
    unit_type: UnitTypeName
    parent: str
    valid_from: date
    official_code: str = Field("", max_length=20)


class ReorganisationIn(Schema):
    kind: Literal["rename", "move", "merge", "split", "dissolve"]
    effective_date: date
    legal_basis: str = Field("", max_length=300)
    new_name: str | None = None
    target: str | None = Field(None, description="new parent (move) or successor (merge)")
    sources: list[str] = Field(default_factory=list, description="merge: units merged into `target` (with this one)")
    successors: list[dict] = Field(default_factory=list,
                                   description="split: [{code, name, unit_type, share}] new successor units")
    child_moves: dict[str, str] = Field(default_factory=dict, description="split: child code → new parent code")


def _unit_out(unit: Unit) -> UnitOut:
    return UnitOut(code=unit.code, name=unit.name, unit_type=unit.unit_type, official_code=unit.official_code,
                   parent=unit.parent.code if unit.parent_id else None, valid_from=unit.valid_from,
                   valid_to=unit.valid_to, is_demo=unit.is_demo)


def _node_out(node) -> TreeNodeOut:
    return TreeNodeOut(code=node.unit.code, name=node.name, unit_type=node.unit.unit_type,
                       children=[_node_out(c) for c in node.children])


@router.get("/", response=list[UnitOut], summary="Units the caller may see")
@requires("unit.read")
def list_units(request, on: date | None = None):
    on = on or selectors.today()
    units = selectors.visible_units(actor=request.user).select_related("parent").order_by("code")
    return [_unit_out(u) for u in units]


@router.get("/tree", response=list[TreeNodeOut], summary="The unit tree as of a date")
@requires("unit.read")
def unit_tree(request, on: date | None = None):
    on = on or selectors.today()
    visible = selectors.unit_ids(actor=request.user, capability="unit.read")
    return [_node_out(n) for n in selectors.unit_tree(on=on, within=visible)]


@router.get("/{code}", response=HistoryOut, summary="A unit with its history")
@requires("unit.read")
def unit_detail(request, code: str):
    unit = selectors.get_unit(actor=request.user, code=code)
    history = selectors.unit_history(unit=unit)
    return HistoryOut(
        unit=_unit_out(unit),
        versions=[VersionOut(name=v.name, parent=v.parent.code if v.parent_id else None, valid_from=v.valid_from,
                             valid_to=v.valid_to) for v in history["versions"]],
        predecessors=[SuccessionOut(predecessor=s.predecessor.code, successor=unit.code,
                                    effective_date=s.effective_date, share=s.share) for s in history["predecessors"]],
        successors=[SuccessionOut(predecessor=unit.code, successor=s.successor.code,
                                  effective_date=s.effective_date, share=s.share) for s in history["successors"]],
    )


@router.post("/", response={201: UnitOut}, summary="Create a unit under a parent")
@requires("unit.reorganise")
def create_unit(request, payload: UnitIn):
    parent = selectors.get_unit(actor=request.user, code=payload.parent)
    unit = services.unit_create(actor=request.user, parent=parent, **payload.dict(exclude={"parent"}))
    return Status(201, _unit_out(unit))


@router.post("/{code}/reorganise", response=list[UnitOut], summary="Rename, move, merge, split or dissolve")
@requires("unit.reorganise")
def reorganise(request, code: str, payload: ReorganisationIn):
    unit = selectors.get_unit(actor=request.user, code=code)
    common = {"actor": request.user, "effective_date": payload.effective_date, "legal_basis": payload.legal_basis}

    def get(code_: str | None, field: str) -> Unit:
        if not code_:
            raise DomainError("Thiếu mã đơn vị.", field=field)
        try:
            return selectors.get_unit(actor=request.user, code=code_)
        except DomainError:
            raise DomainError(f"Không tìm thấy đơn vị “{code_}”.", field=field) from None

    if payload.kind == "rename":
        return [_unit_out(services.unit_rename(unit=unit, new_name=payload.new_name or "", **common))]
    if payload.kind == "move":
        return [_unit_out(services.unit_move(unit=unit, new_parent=get(payload.target, "target"), **common))]
    if payload.kind == "merge":
        sources = [unit] + [get(c, "sources") for c in payload.sources]
        return [_unit_out(services.units_merge(sources=sources, successor=get(payload.target, "target"), **common))]
    if payload.kind == "split":
        successors = []
        for i, spec in enumerate(payload.successors):
            try:
                new = services.NewUnit(code=str(spec["code"]), name=str(spec["name"]),
                                       unit_type=str(spec.get("unit_type", unit.unit_type)), is_demo=unit.is_demo)
                share = Decimal(str(spec["share"]))
            except (KeyError, ArithmeticError, ValueError):
                raise DomainError("Mỗi đơn vị kế thừa cần code, name và share.", field=f"successors.{i}") from None
            successors.append((new, share))
        new_codes = {new.code for new, _ in successors}
        child_moves = {
            get(child, "child_moves").id: (target if target in new_codes else get(target, "child_moves"))
            for child, target in payload.child_moves.items()
        }
        created = services.unit_split(source=unit, successors=successors, child_moves=child_moves, **common)
        return [_unit_out(u) for u in created]
    return [_unit_out(services.unit_dissolve(unit=unit, **common))]

