from decimal import Decimal

from django import forms

from .capabilities import ROLE_CAPABILITIES, is_read
from .models import Role, Unit, UnitType
from .services import STUDENT_ACCOUNTS_FROM_THE_ROSTER

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


SPLIT_ROWS = 4  # successors a split may name in the form


class ReorganiseForm(forms.Form):
    KIND_CHOICES = [
        ("rename", "Đổi tên"),
        ("move", "Chuyển đơn vị quản lý"),
        ("merge", "Sáp nhập vào đơn vị khác"),
        ("split", "Chia tách thành nhiều đơn vị"),
        ("dissolve", "Giải thể"),
    ]
    kind = forms.ChoiceField(label="Thao tác", choices=KIND_CHOICES)
    effective_date = forms.DateField(label="Ngày hiệu lực", widget=DATE_WIDGET)
    legal_basis = forms.CharField(label="Căn cứ (số, ngày văn bản)", max_length=300, required=False)
    new_name = forms.CharField(label="Tên mới", max_length=200, required=False)
    target = forms.ModelChoiceField(
        label="Đơn vị quản lý mới / đơn vị kế thừa", queryset=Unit.objects.none(), required=False
    )
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, targets=None, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        targets = targets if targets is not None else Unit.objects.none()
        self.fields["target"].queryset = targets
        # A split: each successor is an existing unit or a new one (code and name; created under
        # the same managing unit, of the same type), with its share of the unit in percent.
        for i in range(1, SPLIT_ROWS + 1):
            self.fields[f"s{i}_existing"] = forms.ModelChoiceField(
                label=f"Chia tách — đơn vị kế thừa {i}: đơn vị có sẵn", queryset=targets, required=False)
            self.fields[f"s{i}_code"] = forms.SlugField(label=f"… hoặc đơn vị mới {i}: mã", max_length=40,
                                                        required=False)
            self.fields[f"s{i}_name"] = forms.CharField(label=f"Đơn vị mới {i}: tên", max_length=200, required=False)
            self.fields[f"s{i}_share"] = forms.DecimalField(
                label=f"Tỷ lệ kế thừa của đơn vị {i} (%)", min_value=Decimal("0.01"), max_value=Decimal(100),
                decimal_places=2, required=False,
                help_text="Phần của đơn vị bị chia tách mà đơn vị này kế thừa; tổng các tỷ lệ bằng 100 %."
                if i == 1 else "")
        self.children = list(children)
        row_choices = [("", "— chọn —")] + [(str(i), f"Đơn vị kế thừa {i}") for i in range(1, SPLIT_ROWS + 1)]
        for child in self.children:
            self.fields[f"child_{child.id}"] = forms.ChoiceField(
                label=f"Chia tách — “{child.name}” (trực thuộc) chuyển về", choices=row_choices, required=False)

    def is_split_field(self, name: str) -> bool:
        return name.startswith("child_") or (name[:1] == "s" and name[1:2].isdigit())

    def main_fields(self):
        return [f for f in self if not self.is_split_field(f.name)]

    def split_fields(self):
        return [f for f in self if self.is_split_field(f.name)]

    def split_rows(self) -> list[tuple[int, Unit | None, str, str, Decimal]]:
        """The successor rows filled in: (row, existing unit, new code, new name, share %)."""
        d, rows = self.cleaned_data, []
        for i in range(1, SPLIT_ROWS + 1):
            existing, code = d.get(f"s{i}_existing"), d.get(f"s{i}_code", "")
            name, share = d.get(f"s{i}_name", ""), d.get(f"s{i}_share")
            if existing or code or name or share is not None:
                rows.append((i, existing, code, name, share))
        return rows

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "rename" and not data.get("new_name"):
            self.add_error("new_name", "Nhập tên mới.")
        if kind in {"move", "merge"} and not data.get("target"):
            self.add_error("target", "Chọn đơn vị.")
        if kind == "split" and not self.errors:
            rows = self.split_rows()
            if len(rows) < 2:
                self.add_error("s1_existing", "Chia tách cần ít nhất hai đơn vị kế thừa.")
            for i, existing, code, name, share in rows:
                if share is None:
                    self.add_error(f"s{i}_share", "Nhập tỷ lệ kế thừa.")
                if existing and (code or name):
                    self.add_error(f"s{i}_code", "Chọn đơn vị có sẵn hoặc khai báo đơn vị mới, không cả hai.")
                elif not existing and not (code and name):
                    self.add_error(f"s{i}_name" if code else f"s{i}_code", "Đơn vị mới cần cả mã và tên.")
            total = sum((share for *_, share in rows if share is not None), Decimal(0))
            if rows and not self.errors and total != 100:
                self.add_error(f"s{rows[0][0]}_share", f"Tổng các tỷ lệ kế thừa phải bằng 100 % (hiện là {total} %).")
            filled = {str(i) for i, *_ in rows}
            for child in self.children:
                chosen = data.get(f"child_{child.id}")
                if not chosen:
                    self.add_error(f"child_{child.id}", "Chọn đơn vị kế thừa mà đơn vị trực thuộc này chuyển về.")
                elif chosen not in filled:
                    self.add_error(f"child_{child.id}", f"Đơn vị kế thừa {chosen} chưa được khai báo.")
        return data


class UnitCreateForm(forms.Form):
    code = forms.SlugField(label="Mã đơn vị", max_length=40)
    name = forms.CharField(label="Tên đơn vị", max_length=200)
    unit_type = forms.ChoiceField(label="Loại đơn vị", choices=UnitType.choices)
    official_code = forms.CharField(label="Mã hành chính (nếu có)", max_length=20, required=False)
    valid_from = forms.DateField(label="Hiệu lực từ", widget=DATE_WIDGET)


def roles_least_powerful_first() -> list[tuple[str, str]]:
    """The roles a unit's page may give, ordered by what they may change (from the role table), then
    by what they read: the read-only leader first, the standing agency's administrator last. Not
    "Học sinh": a student's account comes from the class list, with the family's consent."""
    def power(role: str) -> tuple[int, int, str]:
        caps = ROLE_CAPABILITIES.get(role, {})
        return (sum(1 for c in caps if not is_read(c)), len(caps), role)

    return sorted((c for c in Role.choices if c[0] != Role.STUDENT), key=lambda choice: power(choice[0]))


class PersonRoleForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150,
                               help_text="Người đã có tài khoản: chỉ cần tên đăng nhập. Người mới: nhập thêm họ tên.")
    full_name = forms.CharField(label="Họ và tên (người mới)", max_length=150, required=False)
    role = forms.ChoiceField(label="Vai trò", choices=roles_least_powerful_first,
                             help_text="Chọn vai trò ít quyền nhất đủ cho công việc; mặc định là vai trò chỉ xem.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = roles_least_powerful_first()[0][0]
        # The role the list leaves out gets the service's own words (where a student's account
        # comes from), not "not one of the choices".
        if self.data.get("role") == Role.STUDENT:
            self.fields["role"].error_messages["invalid_choice"] = STUDENT_ACCOUNTS_FROM_THE_ROSTER


class EraseForm(forms.Form):
    reason = forms.CharField(label="Lý do (ví dụ: theo đơn đề nghị của người dùng ngày …)", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.CharField(label="Gõ lại tên đăng nhập để xác nhận", max_length=150)
