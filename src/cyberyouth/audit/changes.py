"""What an audit entry changed, in words: field labels instead of keys, labels instead of codes, names instead of ids.

The log keeps `before` / `after` exactly as the services wrote them (JSON with the models' field
names and codes); this module only reads them for people. It knows no app: labels and choices
come from the models' own field definitions through Django's app registry, codes of units,
data elements, indicators and categories are looked up by their `code`.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.apps import apps
from django.utils import timezone

# Keys the services write that are not a field of the audited model.
KEY_LABELS = {
    "active": "đang dùng", "address": "địa chỉ", "allowed": "được phép", "category": "nhóm nội dung",
    "code": "mã", "created": "mới thêm", "deadline": "hạn gửi", "duplicates": "trùng", "element": "chỉ số",
    "file": "tệp", "full_name": "họ và tên", "items": "nội dung", "kind": "loại", "monitored": "theo dõi",
    "moved_children": "đơn vị trực thuộc chuyển sang", "name": "tên", "opens_on": "mở từ ngày",
    "outcome": "kết quả", "parent": "đơn vị cấp trên", "platform": "nền tảng", "prefix": "tiền tố",
    "queued": "vào hàng đợi", "reason": "lý do", "recipient": "nơi nhận", "recipients": "người nhận", "records": "số bản ghi",
    "role": "vai trò", "severity": "mức nghiêm trọng", "sha256": "mã băm SHA-256", "share": "tỷ lệ",
    "size": "dung lượng (byte)", "source": "nguồn", "sources": "đơn vị trước sắp xếp", "state": "trạng thái",
    "status": "trạng thái", "successor": "đơn vị kế thừa", "successors": "đơn vị kế thừa", "threshold": "ngưỡng",
    "title": "tiêu đề", "type": "loại đơn vị", "unit": "đơn vị", "until": "giữ đến", "url": "đường dẫn",
    "user": "người dùng", "username": "tên đăng nhập", "valid_from": "hiệu lực từ", "valid_to": "chấm dứt từ",
    "values": "số liệu", "version": "phiên bản", "year": "năm", "zone": "địa bàn",
    "created_at": "tạo lúc", "created_by": "người tạo", "updated_at": "cập nhật lúc", "updated_by": "người cập nhật",
    "requested_by": "người yêu cầu", "moderator": "người kiểm duyệt", "note": "ghi chú", "owner_unit": "đơn vị sở hữu",
    "summary": "kết quả thực hiện", "started_on": "bắt đầu", "completed_on": "hoàn thành",
    "counsellor": "tư vấn viên", "urgency": "mức khẩn", "to": "chuyển đến",
    "class": "lớp", "from": "từ", "graduated": "tốt nghiệp, ra trường", "promoted": "lên lớp",
    "repeated": "ở lại lớp", "student": "học sinh", "teacher": "giáo viên chủ nhiệm",
    "lines": "số tiền (dự toán/thực hiện - nguồn - nhóm nhiệm vụ)", "target": "hoạt động dẫn sản phẩm",
    "questions": "số câu hỏi", "round": "vòng thi", "full marks": "số bài đạt điểm tối đa",
    "full_marks": "số bài đạt điểm tối đa", "ranked": "số bài được xếp hạng", "issued": "số giấy đã cấp",
}
# Keys whose value is a unit's code (or a unit's id, when the model's field says so).
UNIT_KEYS = frozenset({"unit", "parent", "zone", "owner_unit", "moved_children", "successor", "successors", "sources"})
# Keys whose choices are those of another key.
CHOICES_OF = {"type": "unit_type"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


@dataclass
class Change:
    label: str
    before: str
    after: str


def _our_models():
    return [m for m in apps.get_models() if m.__module__.startswith("cyberyouth.")]


@lru_cache(maxsize=1)
def _field_facts() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """(field name → label, field name → {code: label}) over every model of ours; the first one wins."""
    labels: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for model in _our_models():
        for field in model._meta.concrete_fields:
            if _named(field):
                labels.setdefault(field.name, str(field.verbose_name))
            if field.choices:
                merged = choices.setdefault(field.name, {})
                for k, v in field.flatchoices:
                    merged.setdefault(str(k), str(v))
    return labels, choices


def _named(field) -> bool:
    """Whether the field has a label of its own (not Django's default, the English name)."""
    return str(field.verbose_name) != field.name.replace("_", " ")


def _model_field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except Exception:  # noqa: BLE001 - not a field of this model
        return None


class Describer:
    """Formats the changes of many entries, looking names up once per page."""

    def __init__(self):
        self._codes: dict[str, str] | None = None
        self._objects: dict[tuple[str, object], str] = {}

    def codes(self) -> dict[str, str]:
        """code → name for every coded thing of ours (units, data elements, indicators, categories…)."""
        if self._codes is None:
            self._codes = {}
            for model in _our_models():
                names = {f.name for f in model._meta.concrete_fields}
                label = next((n for n in ("name", "title", "label") if n in names), None)
                if "code" in names and label:
                    for code, name in model._default_manager.values_list("code", label):
                        self._codes.setdefault(str(code), str(name))
        return self._codes

    def _related(self, field, value) -> str:
        key = (field.related_model._meta.label_lower, value)
        if key not in self._objects:
            obj = field.related_model._default_manager.filter(pk=value).first()
            self._objects[key] = str(obj) if obj is not None else f"#{value}"
        return self._objects[key]

    def label(self, model, key: str) -> str:
        field = _model_field(model, key)
        if field is not None and not field.auto_created and _named(field):
            return str(field.verbose_name)
        return KEY_LABELS.get(key) or _field_facts()[0].get(key) or self.codes().get(key) or key.replace("_", " ")

    def value(self, model, key: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return "có" if value else "không"
        field = _model_field(model, key)
        if isinstance(value, dict):
            if "name" in value and key in UNIT_KEYS:
                return str(value["name"])
            return "; ".join(f"{self.label(None, k)}: {self.value(None, k, v)}" for k, v in value.items())
        if isinstance(value, list):
            return ", ".join(self.value(model, key, v) for v in value)
        if field is not None and field.choices:
            return dict((str(k), str(v)) for k, v in field.flatchoices).get(str(value), str(value))
        if field is not None and field.is_relation and field.many_to_one and isinstance(value, int):
            return self._related(field, value)
        choices = _field_facts()[1].get(CHOICES_OF.get(key, key))
        if choices and str(value) in choices:
            return choices[str(value)]
        if isinstance(value, str):
            if key in UNIT_KEYS or key in ("category", "element"):
                return self.codes().get(value, value)
            if _ISO_DATE.match(value):
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            if _ISO_DATETIME.match(value):
                try:
                    moment = datetime.fromisoformat(value)
                except ValueError:
                    return value
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return moment.strftime("%d/%m/%Y %H:%M")
        if isinstance(value, float):
            return f"{value:g}".replace(".", ",")
        return str(value)

    def changes(self, entry) -> list[Change]:
        """The fields `entry` changed (all of them for a creation or a deletion), labelled."""
        try:
            model = apps.get_model(entry.target_type)
        except (LookupError, ValueError):
            model = None
        before = entry.before if isinstance(entry.before, dict) else ({} if entry.before is None else {"": entry.before})
        after = entry.after if isinstance(entry.after, dict) else ({} if entry.after is None else {"": entry.after})
        keys = list(before) + [k for k in after if k not in before]
        rows = []
        for key in keys:
            if key == "id" or (key in before and key in after and before[key] == after[key]):
                continue
            if _empty(before.get(key)) and _empty(after.get(key)):
                continue  # an empty field of a record created or deleted says nothing
            rows.append(Change(
                label=self.label(model, key) if key else "",
                before=self.value(model, key, before[key]) if key in before else "",
                after=self.value(model, key, after[key]) if key in after else "",
            ))
        return rows


def describe(entries) -> list[tuple[object, list[Change]]]:
    """Each entry with its labelled changes."""
    describer = Describer()
    return [(entry, describer.changes(entry)) for entry in entries]
