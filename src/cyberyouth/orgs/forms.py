from django import forms

from .models import Role, Unit, UnitType

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReorganiseForm(forms.Form):
    KIND_CHOICES = [
        ("rename", "Đổi tên"),
        ("move", "Chuyển đơn vị quản lý"),
        ("merge", "Sáp nhập vào đơn vị khác"),
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

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets if targets is not None else Unit.objects.none()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "rename" and not data.get("new_name"):
            self.add_error("new_name", "Nhập tên mới.")
        if kind in {"move", "merge"} and not data.get("target"):
            self.add_error("target", "Chọn đơn vị.")
        return data


class UnitCreateForm(forms.Form):
    code = forms.SlugField(label="Mã đơn vị", max_length=40)
    name = forms.CharField(label="Tên đơn vị", max_length=200)
    unit_type = forms.ChoiceField(label="Loại đơn vị", choices=UnitType.choices)
    official_code = forms.CharField(label="Mã hành chính (nếu có)", max_length=20, required=False)
    valid_from = forms.DateField(label="Hiệu lực từ", widget=DATE_WIDGET)


class PersonRoleForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150,
                               help_text="Người đã có tài khoản: chỉ cần tên đăng nhập. Người mới: nhập thêm họ tên.")
    full_name = forms.CharField(label="Họ và tên (người mới)", max_length=150, required=False)
    role = forms.ChoiceField(label="Vai trò", choices=Role.choices)


class EraseForm(forms.Form):
    reason = forms.CharField(label="Lý do (ví dụ: theo đơn đề nghị của người dùng ngày …)", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.CharField(label="Gõ lại tên đăng nhập để xác nhận", max_length=150)
