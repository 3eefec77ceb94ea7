"""A person's own data (Law 91/2025/QH15 on personal data): export it, or erase it.

Export gathers the account, its roles and tokens, and — found through the models themselves,
so a new app is covered without a change here — every record that points at the person
(who approved, decided, uploaded, was reminded …), with what the record says.

Erasure de-identifies the account rather than deleting it: work records keep pointing at it
(a report stays "approved by someone"), but the name, e-mail, phone and login are gone, the
roles end, tokens and sessions are removed and the account can no longer sign in. The audit
log is append-only and is kept under the accountability obligation (it is readable only with
`audit.read`); the erasure itself is logged without any of the erased data.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

from cyberyouth.audit.services import audit_record
from cyberyouth.errors import DomainError, ErrorCode, ScopeError

from . import selectors
from .models import ApiToken, RoleAssignment, User

ERASED_PREFIX = "da-xoa-"


def may_manage(actor, person: User) -> bool:
    """A system administrator, or whoever manages people on every unit where the person holds a role."""
    if selectors.can(actor=actor, capability="system.manage"):
        return True
    units = {a.unit_id for a in RoleAssignment.objects.filter(user=person)}
    if not units:
        return False
    return units <= selectors.unit_ids(actor=actor, capability="people.manage", history=False)


def _references(person: User) -> list[dict]:
    """Every row of every model that has a foreign key to the person, field by field."""
    out = []
    for model in apps.get_models():
        if model in (User, RoleAssignment, ApiToken) or model.__module__.startswith("django."):
            continue
        for field in model._meta.get_fields():
            if not (isinstance(field, (models.ForeignKey, models.OneToOneField)) and field.related_model is User):
                continue
            # select_related(): what a row's str() reads (its unit, its submission…) comes in the same query.
            rows = model._default_manager.filter(**{field.name: person}).select_related().order_by("pk")
            for row in rows.iterator(chunk_size=500):
                out.append({
                    "record": str(model._meta.verbose_name), "model": model._meta.label, "id": row.pk,
                    "as": str(field.verbose_name), "summary": str(row)[:300],
                })
    return out


def person_export(*, actor, person: User) -> dict:
    """Everything the system holds about `person`, as one JSON-ready dict."""
    if not (actor == person or may_manage(actor, person)):
        raise ScopeError("Bạn không có quyền xem dữ liệu cá nhân của người này.")
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": person.username, "full_name": person.full_name, "email": person.email,
            "phone": person.phone, "active": person.is_active,
            "date_joined": person.date_joined.isoformat(),
            "last_login": person.last_login.isoformat() if person.last_login else None,
        },
        "roles": [{"role": a.get_role_display(), "unit": a.unit.code, "unit_name": a.unit.name,
                   "from": a.valid_from.isoformat(), "to": a.valid_to.isoformat() if a.valid_to else None}
                  for a in RoleAssignment.objects.filter(user=person).select_related("unit").order_by("valid_from")],
        "api_tokens": [{"name": t.name, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
                        "expires_at": t.expires_at.isoformat() if t.expires_at else None, "revoked": t.revoked}
                       for t in ApiToken.objects.filter(user=person).order_by("created_at")],
        "records": _references(person),
    }
    for label, export in _app_hooks("personal_data"):
        data[label] = export(person=person)
    audit_record(actor=actor, action="person.export", target=person, after={"records": len(data["records"])})
    return data


@transaction.atomic
def person_erase(*, actor, person: User, reason: str, confirm: str) -> User:
    """De-identify `person` (see the module's docstring). `confirm` must repeat the username."""
    if not may_manage(actor, person):
        raise ScopeError("Bạn không có quyền xóa dữ liệu cá nhân của người này.")
    if person.username.startswith(ERASED_PREFIX) and not person.is_active:
        raise DomainError("Dữ liệu cá nhân của người này đã được xóa.", code=ErrorCode.ALREADY_ERASED)
    if (confirm or "").strip() != person.username:
        raise DomainError("Gõ lại đúng tên đăng nhập để xác nhận.", field="confirm")
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise DomainError("Ghi lý do (ví dụ: theo yêu cầu của người dùng ngày …).", field="reason")
    if person.is_superuser and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=person.pk).exists():
        raise DomainError("Không thể xóa quản trị hệ thống cuối cùng.", code=ErrorCode.LAST_SUPERUSER)
    today = selectors.today()
    RoleAssignment.objects.filter(user=person).filter(
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=today)).update(valid_to=today)
    ApiToken.objects.filter(user=person).delete()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()
    _forget_login_attempts(person.username)
    for _, erase in _app_hooks("personal_erase"):
        erase(person=person, actor=actor, reason=reason)
    person.refresh_from_db()
    person.username = f"{ERASED_PREFIX}{person.pk}"
    person.full_name = person.first_name = person.last_name = person.email = person.phone = ""
    person.is_active = person.is_staff = person.is_superuser = False
    person.set_unusable_password()
    person.save()
    audit_record(actor=actor, action="person.erase", target=person, note=reason)
    return person


def _app_hooks(name: str):
    """(app label, function) of every app that declares `name` (see web.registry): what the app
    holds about a person beyond the records that point at the account."""
    import importlib

    from cyberyouth.web.registry import cyberyouth_apps

    for config in cyberyouth_apps():
        hook = getattr(config, name, None)
        if hook:
            module_name, function = hook.split(":")
            yield config.label, getattr(importlib.import_module(module_name), function)


def _forget_login_attempts(username: str) -> None:
    """django-axes keeps failed sign-ins with the username and address: they go too."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
