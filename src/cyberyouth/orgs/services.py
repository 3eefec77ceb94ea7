"""Every write to units, people and roles. One transaction per call, audited.

Reorganisations never delete: a unit that ceases keeps its rows and its last name; its
successors are linked through `UnitSuccession` so later figures can roll its history up.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, NotFound, ScopeError
from cyberyouth.lib.text import nfc

from . import official, selectors, structure
from .models import ApiToken, Reorganisation, Role, RoleAssignment, Unit, UnitSuccession, UnitType, UnitVersion, User


@dataclass(frozen=True)
class NewUnit:
    """What a merge or split creates."""

    code: str
    name: str
    unit_type: str
    official_code: str = ""
    is_demo: bool = False


def _unit_state(unit: Unit) -> dict:
    return {
        "code": unit.code, "name": unit.name, "type": unit.unit_type,
        "parent": unit.parent.code if unit.parent_id else None,
        "valid_from": unit.valid_from, "valid_to": unit.valid_to,
    }


def _current_version(unit: Unit) -> UnitVersion:
    return unit.versions.order_by("-valid_from").first()


def _type_label(unit_type: str) -> str:
    return dict(UnitType.choices).get(unit_type, unit_type)


def _check_type_under(unit_type: str, parent: Unit | None, *, name: str, field: str = "parent") -> None:
    """The unit-type tree (`structure`): a primary school never stands under a kindergarten."""
    if structure.may_stand_under(unit_type, parent.unit_type if parent is not None else None):
        return
    kind = _type_label(unit_type)
    where = (f"dưới “{parent.name}” ({_type_label(parent.unit_type).lower()})" if parent is not None
             else "ở gốc cây đơn vị")
    raise DomainError(
        f"Không thể đặt {kind.lower()} “{name}” {where}: {kind.lower()} chỉ trực thuộc "
        f"{structure.parent_types_label(unit_type).lower()}.", field=field, code=ErrorCode.WRONG_PARENT_TYPE)


def _check_carries_on(successor_type: str, source: Unit, *, name: str, field: str) -> None:
    if not structure.may_carry_on(successor_type, source.unit_type):
        raise DomainError(
            f"“{name}” ({_type_label(successor_type).lower()}) không thể kế thừa “{source.name}” "
            f"({_type_label(source.unit_type).lower()}): đơn vị kế thừa phải cùng nhóm (đơn vị hành chính, "
            "trường học, cơ quan, tổ chức Đoàn).", field=field, code=ErrorCode.WRONG_PARENT_TYPE)


def _same_day_note(unit: Unit, effective_date: date) -> str:
    """For the audit: this operation amends a change the unit already had on that day."""
    version = selectors.same_day_change(unit=unit, on=effective_date)
    return f"Gộp vào thay đổi cùng ngày {effective_date:%d/%m/%Y}." if version is not None else ""


def _check_can_change(unit: Unit, effective_date: date, *, field: str = "unit", ceasing: bool = False) -> None:
    """The rules every operation on an existing unit shares (see docs/decisions.md, item 3):
    an operation dated the same day as the unit's last change amends that day's version; one
    dated earlier is refused; a unit cannot cease on the day of another change to it (that
    change would be erased)."""
    unit.refresh_from_db()  # callers may hold an instance from before an earlier operation
    if effective_date <= unit.valid_from:
        raise DomainError(
            f"Ngày hiệu lực {effective_date:%d/%m/%Y} không sau ngày đơn vị “{unit.name}” "
            f"bắt đầu tồn tại ({unit.valid_from:%d/%m/%Y}).",
            field="effective_date", code=ErrorCode.BEFORE_UNIT_EXISTED,
        )
    if unit.valid_to is not None and effective_date >= unit.valid_to:
        raise DomainError(
            f"Đơn vị “{unit.name}” đã chấm dứt từ {unit.valid_to:%d/%m/%Y}.", field=field, code=ErrorCode.UNIT_CEASED
        )
    latest = _current_version(unit)
    # The same day as the last change is allowed (a merge that moves a unit, then its new
    # name): the second operation amends that day's version. Earlier is an overlap.
    if latest and effective_date < latest.valid_from:
        raise DomainError(
            f"Đơn vị “{unit.name}” đã có thay đổi hiệu lực từ {latest.valid_from:%d/%m/%Y}; "
            "thao tác mới phải có ngày hiệu lực từ ngày đó trở đi (cùng ngày đó thì được gộp vào thay đổi "
            "của ngày đó).",
            field="effective_date", code=ErrorCode.OVERLAPPING_DATES,
        )
    if ceasing and latest and latest.valid_from == effective_date:
        raise DomainError(
            f"Đơn vị “{unit.name}” đã có thay đổi hiệu lực đúng ngày {effective_date:%d/%m/%Y}; không thể cho "
            "đơn vị chấm dứt cùng ngày đó (thay đổi ấy sẽ mất). Chọn ngày hiệu lực sau ngày đó.",
            field="effective_date", code=ErrorCode.SAME_DAY,
        )


def _check_parent(parent: Unit | None, on: date, *, unit: Unit | None = None) -> None:
    if parent is None:
        return
    if not parent.is_active_on(on):
        raise DomainError(
            f"Đơn vị quản lý “{parent.name}” không tồn tại vào ngày {on:%d/%m/%Y}.", field="parent", code=ErrorCode.PARENT_INACTIVE
        )
    if unit is not None:
        if parent.id == unit.id or parent.id in selectors.descendant_ids(unit_ids=[unit.id], on=on):
            raise DomainError(
                f"Không thể đặt “{unit.name}” dưới chính nó hoặc đơn vị cấp dưới của nó.", field="parent", code=ErrorCode.CYCLE
            )


def _new_reorganisation(*, kind, effective_date, actor, legal_basis, note="") -> Reorganisation:
    return Reorganisation.objects.create(
        kind=kind, effective_date=effective_date, created_by=actor if getattr(actor, "pk", None) else None,
        legal_basis=nfc(legal_basis), note=nfc(note),
    )


def _open_version(unit: Unit, *, name: str, parent: Unit | None, start: date, reorg: Reorganisation) -> None:
    latest = _current_version(unit)
    if latest is not None and latest.valid_from == start:
        latest.name, latest.parent = name, parent
        latest.save(update_fields=["name", "parent"])
    else:
        if latest is not None:
            latest.valid_to = start
            latest.save(update_fields=["valid_to"])
        UnitVersion.objects.create(unit=unit, name=name, parent=parent, valid_from=start, reorganisation=reorg)
    unit.name, unit.parent = name, parent
    unit.save(update_fields=["name", "parent"])


def _cease(unit: Unit, *, end: date) -> None:
    latest = _current_version(unit)
    if latest is not None:
        latest.valid_to = end
        latest.save(update_fields=["valid_to"])
    unit.valid_to = end
    unit.save(update_fields=["valid_to"])


def _create(spec: NewUnit, *, parent: Unit | None, start: date, reorg: Reorganisation) -> Unit:
    code = spec.code.strip()
    if not code:
        raise DomainError("Mã đơn vị không được để trống.", field="code")
    if Unit.objects.filter(code=code).exists():
        raise DomainError(f"Mã đơn vị “{code}” đã được dùng.", field="code", code=ErrorCode.DUPLICATE_CODE)
    if spec.unit_type not in UnitType.values:
        raise DomainError(f"Loại đơn vị “{spec.unit_type}” không hợp lệ.", field="unit_type")
    name = nfc(spec.name)
    if not name:
        raise DomainError("Tên đơn vị không được để trống.", field="name")
    _check_type_under(spec.unit_type, parent, name=name, field="unit_type" if parent is not None else "parent")
    if spec.official_code.strip():
        entry = official.official_unit(spec.official_code)
        if entry is None:
            raise DomainError(f"Mã hành chính “{spec.official_code}” không có trong danh mục quốc gia.",
                              field="official_code", code=ErrorCode.UNKNOWN_OFFICIAL_CODE)
        if entry.unit_type != spec.unit_type:
            raise DomainError(f"Mã {entry.code} là của {entry.name}, không phải loại đơn vị đã chọn.",
                              field="official_code", code=ErrorCode.OFFICIAL_TYPE_MISMATCH)
        if Unit.objects.filter(official_code=entry.code, valid_to__isnull=True).exists():
            raise DomainError(f"Mã hành chính {entry.code} ({entry.name}) đã gắn với một đơn vị đang hoạt động.",
                              field="official_code", code=ErrorCode.DUPLICATE_OFFICIAL_CODE)
    unit = Unit.objects.create(
        code=code, name=name, unit_type=spec.unit_type, official_code=spec.official_code.strip(),
        valid_from=start, is_demo=spec.is_demo, parent=parent,
    )
    UnitVersion.objects.create(unit=unit, name=name, parent=parent, valid_from=start, reorganisation=reorg)
    return unit


def _require_admin(actor, units) -> None:
    for unit in units:
        if unit is not None:
            selectors.require(actor=actor, capability="unit.reorganise", unit=unit)


def _require_admin_over(actor, unit: Unit) -> None:
    """Changing a live unit needs the reorganise capability on it; a unit that has ceased by
    today is history, which only a system administrator may rewrite."""
    if unit.is_active_on(selectors.today()):
        _require_admin(actor, [unit])
    elif not selectors.can(actor=actor, capability="system.manage"):
        raise ScopeError("Chỉ quản trị hệ thống mới được sắp xếp đơn vị đã chấm dứt.")


@transaction.atomic
def unit_create(
    *, actor, code: str, name: str, unit_type: str, parent: Unit | None, valid_from: date,
    official_code: str = "", is_demo: bool = False, legal_basis: str = "",
) -> Unit:
    """Create a unit under `parent` (or a root, for a superuser)."""
    if parent is None:
        if not selectors.can(actor=actor, capability="system.manage"):
            raise ScopeError("Chỉ quản trị hệ thống mới được tạo đơn vị gốc.", field="parent")
    else:
        _require_admin(actor, [parent])
        if valid_from < parent.valid_from:
            raise DomainError("Đơn vị không thể bắt đầu trước đơn vị quản lý của nó.", field="valid_from")
        _check_parent(parent, valid_from)
    reorg = _new_reorganisation(kind=Reorganisation.Kind.CREATE, effective_date=valid_from, actor=actor,
                                legal_basis=legal_basis)
    unit = _create(NewUnit(code, name, unit_type, official_code, is_demo), parent=parent, start=valid_from, reorg=reorg)
    audit_record(actor=actor, action="unit.create", target=unit, after=_unit_state(unit))
    return unit


@transaction.atomic
def unit_rename(*, actor, unit: Unit, new_name: str, effective_date: date, legal_basis: str = "") -> Unit:
    _require_admin_over(actor, unit)
    _check_can_change(unit, effective_date)
    new_name = nfc(new_name)
    if not new_name:
        raise DomainError("Tên mới không được để trống.", field="new_name")
    if new_name == unit.name:
        raise DomainError("Tên mới trùng tên hiện tại.", field="new_name")
    before = _unit_state(unit)
    note = _same_day_note(unit, effective_date)
    reorg = _new_reorganisation(kind=Reorganisation.Kind.RENAME, effective_date=effective_date, actor=actor,
                                legal_basis=legal_basis, note=note)
    _open_version(unit, name=new_name, parent=_current_version(unit).parent, start=effective_date, reorg=reorg)
    audit_record(actor=actor, action="unit.rename", target=unit, before=before, after=_unit_state(unit), note=note)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit, effective_date: date, legal_basis: str = "") -> Unit:
    _require_admin_over(actor, unit)
    _require_admin(actor, [new_parent])
    _check_can_change(unit, effective_date)
    _check_parent(new_parent, effective_date, unit=unit)
    if unit.parent_id == new_parent.id:
        raise DomainError("Đơn vị đã thuộc đơn vị quản lý này.", field="new_parent")
    _check_type_under(unit.unit_type, new_parent, name=unit.name, field="new_parent")
    before = _unit_state(unit)
    note = _same_day_note(unit, effective_date)
    reorg = _new_reorganisation(kind=Reorganisation.Kind.MOVE, effective_date=effective_date, actor=actor,
                                legal_basis=legal_basis, note=note)
    _open_version(unit, name=unit.name, parent=new_parent, start=effective_date, reorg=reorg)
    audit_record(actor=actor, action="unit.move", target=unit, before=before, after=_unit_state(unit), note=note)
    return unit


def _move_children(*, sources: list[Unit], to: dict[int, Unit] | Unit, on: date, reorg: Reorganisation,
                   exclude: set[int]) -> list[Unit]:
    """Re-parent the live children of ceasing units under their successor(s)."""
    children = selectors.children_map(on=selectors.day_before(on))
    child_ids = [c for s in sources for c in children.get(s.id, ()) if c not in exclude]
    units = Unit.objects.in_bulk(child_ids)
    moved = []
    for source in sources:
        for child_id in children.get(source.id, ()):
            if child_id in exclude:
                continue
            child = units[child_id]
            if not child.is_active_on(on):
                continue
            target = to if isinstance(to, Unit) else to.get(child_id)
            if target is None:
                raise DomainError(
                    f"Chưa chọn đơn vị quản lý mới cho “{child.name}” (đơn vị trực thuộc “{source.name}”).",
                    field="child_moves", code=ErrorCode.CHILD_UNASSIGNED,
                )
            _check_can_change(child, on, field="child_moves")
            _check_type_under(child.unit_type, target, name=child.name, field="child_moves")
            _open_version(child, name=child.name, parent=target, start=on, reorg=reorg)
            moved.append(child)
    return moved


@transaction.atomic
def units_merge(
    *, actor, sources: list[Unit], effective_date: date, successor: Unit | None = None,
    new_unit: NewUnit | None = None, parent: Unit | None = None, legal_basis: str = "", note: str = "",
) -> Unit:
    """Several units → one. The successor is an existing unit or `new_unit` created under
    `parent`. Sources cease on `effective_date`; their children move to the successor."""
    if (successor is None) == (new_unit is None):
        raise DomainError("Chọn một đơn vị kế thừa có sẵn hoặc khai báo một đơn vị mới.", field="successor")
    sources = list({u.id: u for u in sources}.values())
    if not sources:
        raise DomainError("Chọn ít nhất một đơn vị bị sáp nhập.", field="sources")
    for source in sources:
        _require_admin_over(actor, source)
        _check_can_change(source, effective_date, field="sources", ceasing=True)
    source_ids = {s.id for s in sources}
    eve = selectors.day_before(effective_date)
    below_sources = selectors.descendant_ids(unit_ids=source_ids, on=eve)
    if successor is not None:
        _require_admin(actor, [successor])
        if successor.id in source_ids:
            raise DomainError("Đơn vị kế thừa không thể đồng thời là đơn vị bị sáp nhập.", field="successor")
        if not successor.is_active_on(effective_date):
            raise DomainError(f"Đơn vị kế thừa “{successor.name}” không tồn tại vào ngày hiệu lực.", field="successor")
        if successor.id in below_sources:
            raise DomainError(
                f"Không thể sáp nhập vào “{successor.name}” vì đó là đơn vị cấp dưới của đơn vị bị sáp nhập.",
                field="successor", code=ErrorCode.MERGE_INTO_DESCENDANT,
            )
    else:
        if parent is not None:
            _require_admin(actor, [parent])
            if parent.id in below_sources:
                raise DomainError("Đơn vị quản lý của đơn vị mới không thể nằm dưới đơn vị bị sáp nhập.",
                                  field="parent", code=ErrorCode.CYCLE)
        elif not selectors.can(actor=actor, capability="system.manage"):
            raise DomainError("Chọn đơn vị quản lý cho đơn vị mới.", field="parent")
        _check_parent(parent, effective_date)
    for source in sources:
        if successor is not None:
            _check_carries_on(successor.unit_type, source, name=successor.name, field="successor")
        else:
            _check_carries_on(new_unit.unit_type, source, name=nfc(new_unit.name), field="successor")
    before = [_unit_state(s) for s in sources]
    reorg = _new_reorganisation(kind=Reorganisation.Kind.MERGE, effective_date=effective_date, actor=actor,
                                legal_basis=legal_basis, note=note)
    if successor is None:
        successor = _create(new_unit, parent=parent, start=effective_date, reorg=reorg)
    moved = _move_children(sources=sources, to=successor, on=effective_date, reorg=reorg, exclude=source_ids)
    for source in sources:
        _cease(source, end=effective_date)
        UnitSuccession.objects.create(predecessor=source, successor=successor, effective_date=effective_date,
                                      share=Decimal(1), reorganisation=reorg)
    audit_record(
        actor=actor, action="unit.merge", target=successor, before={"sources": before},
        after={"successor": _unit_state(successor), "moved_children": [c.code for c in moved]},
        note=legal_basis,
    )
    return successor


@transaction.atomic
def unit_split(
    *, actor, source: Unit, effective_date: date, successors: list[tuple[Unit | NewUnit, Decimal]],
    child_moves: dict[int, Unit | str] | None = None, legal_basis: str = "", note: str = "",
) -> list[Unit]:
    """One unit → several, each successor carrying `share` of it (shares add up to 1).
    New successors are created under the source's parent; every live child must be given
    a new parent in `child_moves` (child id → a unit, or the code of a successor created here)."""
    _require_admin_over(actor, source)
    _check_can_change(source, effective_date, ceasing=True)
    for target, _share in successors:
        _check_carries_on(target.unit_type, source, name=nfc(target.name), field="successors")
    if len(successors) < 2:
        raise DomainError("Chia tách cần ít nhất hai đơn vị kế thừa.", field="successors")
    shares = [Decimal(str(share)) for _, share in successors]
    if any(s <= 0 or s > 1 for s in shares):
        raise DomainError("Tỷ lệ kế thừa phải lớn hơn 0 và không quá 1.", field="successors")
    if sum(shares) != Decimal(1):
        raise DomainError(f"Tổng tỷ lệ kế thừa phải bằng 1 (hiện là {sum(shares)}).", field="successors")
    below = selectors.descendant_ids(unit_ids=[source.id], on=selectors.day_before(effective_date))
    parent = source.parent
    reorg = _new_reorganisation(kind=Reorganisation.Kind.SPLIT, effective_date=effective_date, actor=actor,
                                legal_basis=legal_basis, note=note)
    created: list[Unit] = []
    for target, share in successors:
        if isinstance(target, NewUnit):
            unit = _create(target, parent=parent, start=effective_date, reorg=reorg)
        else:
            _require_admin(actor, [target])
            if target.id == source.id or target.id in below:
                raise DomainError(f"“{target.name}” là đơn vị bị chia tách hoặc cấp dưới của nó.", field="successors",
                                  code=ErrorCode.SPLIT_INTO_DESCENDANT)
            if not target.is_active_on(effective_date):
                raise DomainError(f"“{target.name}” không tồn tại vào ngày hiệu lực.", field="successors")
            unit = target
        UnitSuccession.objects.create(predecessor=source, successor=unit, effective_date=effective_date,
                                      share=Decimal(str(share)), reorganisation=reorg)
        created.append(unit)
    by_code = {u.code: u for u in created}
    moves: dict[int, Unit] = {}
    for cid, target in (child_moves or {}).items():
        resolved = target if isinstance(target, Unit) else by_code.get(target)
        if resolved is None:
            raise DomainError(f"Không có đơn vị kế thừa mã “{target}”.", field="child_moves")
        _check_parent(resolved, effective_date)
        moves[cid] = resolved
    moved = _move_children(sources=[source], to=moves, on=effective_date, reorg=reorg, exclude=set())
    before = _unit_state(source)
    _cease(source, end=effective_date)
    audit_record(
        actor=actor, action="unit.split", target=source, before=before,
        after={"successors": [{"code": u.code, "share": str(s)} for u, (_, s) in zip(created, successors)],
               "moved_children": [c.code for c in moved]},
        note=legal_basis,
    )
    return created


@transaction.atomic
def unit_dissolve(*, actor, unit: Unit, effective_date: date, legal_basis: str = "", note: str = "") -> Unit:
    """A unit ceases with no successor. Its children must have been moved first."""
    _require_admin_over(actor, unit)
    _check_can_change(unit, effective_date, ceasing=True)
    live_children = [
        cid for cid in selectors.children_map(on=effective_date).get(unit.id, ())
    ]
    if live_children:
        names = ", ".join(Unit.objects.filter(id__in=live_children).values_list("name", flat=True)[:5])
        raise DomainError(f"Đơn vị còn đơn vị trực thuộc ({names}); hãy chuyển chúng trước khi giải thể.",
                          field="unit", code=ErrorCode.HAS_CHILDREN)
    before = _unit_state(unit)
    _new_reorganisation(kind=Reorganisation.Kind.DISSOLVE, effective_date=effective_date, actor=actor,
                        legal_basis=legal_basis, note=note)
    _cease(unit, end=effective_date)
    audit_record(actor=actor, action="unit.dissolve", target=unit, before=before, after=_unit_state(unit), note=note)
    return unit


# ---------------------------------------------------------------- people and roles


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, password: str | None, email: str = "",
                temporary_password: bool = False) -> User:
    if not selectors.can(actor=actor, capability="people.manage"):
        raise ScopeError("Bạn không có quyền tạo người dùng.")
    username = username.strip()
    if not username:
        raise DomainError("Tên đăng nhập không được để trống.", field="username")
    if User.objects.filter(username=username).exists():
        raise DomainError(f"Tên đăng nhập “{username}” đã tồn tại.", field="username")
    user = User(username=username, full_name=nfc(full_name), email=email.strip(),
                must_change_password=bool(password) and temporary_password)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action="user.create", target=user, after={"username": username, "full_name": full_name})
    return user


@transaction.atomic
def password_set(*, actor, user: User, password: str, how: str) -> User:
    """Give `user` a new password they chose (`how`: "change" — knowing the old one — or
    "reset" — through the e-mailed link); a temporary password is then no longer required to
    change. Every other session of the account ends, since Django ties sessions to the
    password. The password itself never reaches the log."""
    if how not in ("change", "reset"):
        raise DomainError("Cách đổi mật khẩu không hợp lệ.", field="how")
    if how == "change" and getattr(actor, "pk", None) != user.pk:
        raise ScopeError("Chỉ người dùng tự đổi được mật khẩu của mình.")
    was_temporary = user.must_change_password
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=actor if getattr(actor, "pk", None) else user, action=f"account.password_{how}",
                 target=user, after={"temporary_replaced": was_temporary})
    return user


STUDENT_ACCOUNTS_FROM_THE_ROSTER = (
    "Tài khoản học sinh không cấp ở đây: thầy cô chủ nhiệm in mã đăng nhập cho học sinh trong danh sách lớp "
    "khi gia đình đã đồng ý (Học sinh → lớp → In mã đăng nhập lần đầu).")


@transaction.atomic
def role_grant(*, actor, user: User, role: str, unit: Unit, valid_from: date | None = None) -> RoleAssignment:
    if role not in Role.values:
        raise DomainError(f"Vai trò “{role}” không hợp lệ.", field="role")
    if role == Role.STUDENT:
        # A student's account is the students app's: it exists only for a student on a class list
        # whose family agreed (consent before a name is stored), and is opened with a login code.
        raise DomainError(STUDENT_ACCOUNTS_FROM_THE_ROSTER, field="role")
    selectors.require(actor=actor, capability="people.manage", unit=unit)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit,
        defaults={"valid_from": valid_from or selectors.today(), "granted_by": actor if getattr(actor, "pk", None) else None},
    )
    if created:
        audit_record(actor=actor, action="role.grant", target=assignment,
                     after={"user": user.username, "role": role, "unit": unit.code})
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, on: date | None = None) -> RoleAssignment:
    selectors.require(actor=actor, capability="people.manage", unit=assignment.unit)
    assignment.valid_to = on or selectors.today()
    assignment.save(update_fields=["valid_to"])
    audit_record(actor=actor, action="role.revoke", target=assignment, after={"valid_to": assignment.valid_to})
    return assignment


@transaction.atomic
def token_create(*, user: User, name: str = "", days: int | None = 365) -> str:
    """Create an API token for `user` and return it; only its hash is kept."""
    key = "cy_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=ApiToken.hash_key(key), prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit_record(actor=user, action="token.create", target=token, after={"name": name, "prefix": token.prefix})
    return key


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """`actor` revokes one of their own tokens; anyone else's is "not found"."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound("Không tìm thấy mã truy cập.")
    if not token.revoked:
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        token.revoked = True
        audit_record(actor=actor, action="token.revoke", target=token, after={"prefix": token.prefix})
    return token


def token_authenticate(key: str) -> User | None:
    token = (
        ApiToken.objects.filter(key_hash=ApiToken.hash_key(key), revoked=False)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


@transaction.atomic
def person_grant(*, actor, unit: Unit, username: str, role: str, full_name: str = "") -> tuple[RoleAssignment, str | None]:
    """Give `username` a role on `unit`, creating the account if it does not exist.
    Returns the assignment and, for a new account, its one-time password."""
    selectors.require(actor=actor, capability="people.manage", unit=unit)
    user = User.objects.filter(username=username.strip()).first()
    password = None
    if user is None:
        if not nfc(full_name):
            raise DomainError("Người dùng mới cần họ và tên.", field="full_name")
        password = secrets.token_urlsafe(9)
        user = user_create(actor=actor, username=username, full_name=full_name, password=password,
                           temporary_password=True)
    existing = RoleAssignment.objects.filter(user=user, role=role, unit=unit).first()
    if existing is None:
        return role_grant(actor=actor, user=user, role=role, unit=unit), password
    if existing.valid_to is None or existing.valid_to > selectors.today():
        raise DomainError("Người này đã có vai trò đó tại đơn vị.", field="role")
    # An ended assignment is opened again; its earlier period stays in the audit log.
    before = {"valid_from": existing.valid_from, "valid_to": existing.valid_to}
    existing.valid_from, existing.valid_to, existing.granted_by = selectors.today(), None, actor
    existing.save(update_fields=["valid_from", "valid_to", "granted_by"])
    audit_record(actor=actor, action="role.grant", target=existing, before=before,
                 after={"user": user.username, "role": role, "unit": unit.code})
    return existing, password


@transaction.atomic
def units_import_official(*, actor, province: Unit, valid_from: date, is_demo: bool = False) -> list[Unit]:
    """Create every commune, ward and special zone of `province` from the national list, under it.
    Units already present (by official code) are left alone; returns the ones created."""
    _require_admin(actor, [province])
    if not province.official_code or official.official_unit(province.official_code) is None:
        raise DomainError("Tỉnh/thành phố chưa có mã hành chính hợp lệ.", field="province")
    present = set(Unit.objects.exclude(official_code="").values_list("official_code", flat=True))
    reorg = _new_reorganisation(kind=Reorganisation.Kind.CREATE, effective_date=valid_from, actor=actor,
                                legal_basis="Danh mục đơn vị hành chính cấp xã (gói vietnam-provinces)")
    created = []
    for entry in official.official_units_of_province(province.official_code):
        if entry.code in present:
            continue
        created.append(_create(
            NewUnit(code=f"{province.code}-{entry.code}", name=entry.name, unit_type=entry.unit_type,
                    official_code=entry.code, is_demo=is_demo),
            parent=province, start=valid_from, reorg=reorg,
        ))
    audit_record(actor=actor, action="unit.import_official", target=province,
                 after={"created": [u.code for u in created]})
    return created
