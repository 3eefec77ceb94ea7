from django import forms

from cyberyouth.orgs import selectors as org_selectors

from .models import MILESTONES, ReportNote


def _years():
    this_year = org_selectors.today().year
    return [(y, str(y)) for y in range(min(this_year, 2030), 2021, -1)]


class YearlyForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm báo cáo", coerce=int, choices=_years)
    unit = forms.ChoiceField(label="Phạm vi (đơn vị)")
    on = forms.DateField(label="Ngày văn bản", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         help_text="Để trống: ngày hôm nay. Tên cơ quan in theo ngày này.")
    want_pdf = forms.BooleanField(label="Tạo cả bản PDF", required=False, initial=True)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, _label(u)) for u in units]
        # The year just ended is the one usually reported.
        self.fields["year"].initial = max(2022, org_selectors.today().year - 1)


def _label(unit) -> str:
    return unit.name if unit.valid_to is None else f"{unit.name} (đến {unit.last_day:%d/%m/%Y})"


class ReviewForm(YearlyForm):
    year = forms.TypedChoiceField(label="Mốc", coerce=int,
                                  choices=[(2025, "Sơ kết 2025"), (2030, "Tổng kết 2030")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = 2025


class NoteForm(forms.ModelForm):
    class Meta:
        model = ReportNote
        fields = ["difficulties", "proposals", "next_steps", "funding", "funding_vnd", "signer_authority",
                  "signer_title", "signer_name"]
        widgets = {
            "difficulties": forms.Textarea(attrs={"rows": 6}),
            "proposals": forms.Textarea(attrs={"rows": 6}),
            "next_steps": forms.Textarea(attrs={"rows": 5}),
            "funding": forms.Textarea(attrs={"rows": 3}),
            "signer_authority": forms.TextInput(attrs={"placeholder": "VD: KT. TRƯỞNG PHÒNG"}),
            "signer_title": forms.TextInput(attrs={"placeholder": "VD: PHÓ TRƯỞNG PHÒNG"}),
        }
        help_texts = {
            "difficulties": "Mỗi ý một dòng; dòng bắt đầu bằng dấu “-” được in thành gạch đầu dòng.",
            "next_steps": "Để trống: hệ thống đề xuất từ số liệu (nhiệm vụ còn dở, chỉ tiêu chưa đạt).",
            "funding": "Để trống nếu chưa có số liệu kinh phí.",
        }


class NoteSelectForm(forms.Form):
    unit = forms.ChoiceField(label="Đơn vị")
    kind = forms.ChoiceField(label="Loại báo cáo", choices=[("yearly", "Báo cáo năm"), ("review", "Sơ kết / tổng kết")])
    year = forms.TypedChoiceField(label="Năm / mốc", coerce=int, choices=_years)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, _label(u)) for u in units]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "review" and data.get("year") not in MILESTONES:
            self.add_error("year", "Mốc sơ kết, tổng kết là năm 2025 hoặc 2030.")
        return data
