from django import forms

from cyberyouth.orgs.forms import DATE_WIDGET

from .models import ValueType

YES_NO = [("", "— chọn —"), ("1", "Có"), ("0", "Không")]


class SubmissionForm(forms.Form):
    """The yearly form of a unit type, built from its data elements. Field `v_<code>` holds a
    value, `ev_<code>` the evidence of a yes/no element (a text) and `evf_<code>` a file proving it.
    Rules are checked by the service."""

    def __init__(self, *args, elements, provided: dict, previous: dict, editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = elements
        self.provided = provided
        for e in elements:
            help_bits = [e.help_text] if e.help_text else []
            if e.code in previous:
                shown = ("Có" if previous[e.code] else "Không") if e.value_type == ValueType.BOOLEAN else previous[e.code]
                help_bits.append(f"Năm trước: {shown}.")
            if e.code in provided:
                self.fields[f"v_{e.code}"] = forms.IntegerField(
                    label=e.name, required=False, disabled=True, initial=provided[e.code],
                    help_text=" ".join(help_bits))
                continue
            if e.value_type == ValueType.BOOLEAN:
                field = forms.ChoiceField(label=e.name, choices=YES_NO, required=False)
            else:
                field = forms.IntegerField(label=e.name, required=False, min_value=0,
                                           widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                                           error_messages={"invalid": "Phải là số nguyên không âm.",
                                                           "min_value": "Không được là số âm."})
            field.help_text = " ".join(help_bits)
            field.disabled = not editable
            self.fields[f"v_{e.code}"] = field
            if e.value_type == ValueType.BOOLEAN and e.evidence_required:
                self.fields[f"ev_{e.code}"] = forms.CharField(
                    label="Minh chứng (số, ngày văn bản hoặc đường dẫn)", max_length=1000, required=False,
                    disabled=not editable)
                if editable:
                    self.fields[f"evf_{e.code}"] = forms.FileField(
                        label="hoặc đính kèm tệp minh chứng (PDF, DOCX, XLSX, ảnh JPG/PNG)", required=False)
        self.fields["note"] = forms.CharField(label="Giải trình của đơn vị (nếu có)", required=False, max_length=5000,
                                              widget=forms.Textarea(attrs={"rows": 3}), disabled=not editable)
        self.fields["confirm_jumps"] = forms.BooleanField(
            label="Tôi xác nhận các số liệu tăng đột biến so với năm trước là đúng", required=False,
            disabled=not editable)

    def show_errors(self, error) -> None:
        """A service's refusal next to the field it names: each of FormErrors' fields ("<code>"
        is a value, "<code>.file" its file), or the one field of a DomainError."""
        for field_code, message in getattr(error, "errors", {error.field or "": error.message}).items():
            code, _, part = field_code.partition(".")
            target = f"evf_{code}" if part == "file" else f"v_{code}"
            if target not in self.fields:
                target = field_code if field_code in self.fields else None
            self.add_error(target, message)

    def values(self) -> tuple[dict, dict, dict]:
        """(values, evidence texts, evidence files) by element code, for `services.values_save`."""
        data = self.cleaned_data
        values = {e.code: data.get(f"v_{e.code}") for e in self.elements if e.code not in self.provided}
        evidence = {e.code: data.get(f"ev_{e.code}", "") for e in self.elements if f"ev_{e.code}" in self.fields}
        files = {e.code: data[f"evf_{e.code}"] for e in self.elements if data.get(f"evf_{e.code}")}
        return values, evidence, files


class ReviewForm(forms.Form):
    comment = forms.CharField(label="Ý kiến (bắt buộc khi trả lại)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Lý do mở lại", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="Năm báo cáo", min_value=2022, max_value=2035)
    opens_on = forms.DateField(label="Mở từ ngày", widget=DATE_WIDGET)
    deadline = forms.DateField(label="Hạn nộp", widget=DATE_WIDGET)


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx) theo mẫu")
    submit = forms.BooleanField(label="Gửi luôn các báo cáo sau khi nhập", required=False)


class EvidenceChangeForm(forms.Form):
    file = forms.FileField(label="Tệp thay thế", required=False,
                           help_text="Để trống nếu chỉ gỡ bỏ tệp; chọn tệp để thay (PDF, DOCX, XLSX, ảnh).")
    reason = forms.CharField(label="Lý do", required=False, max_length=300,
                             widget=forms.TextInput(attrs={"placeholder": "VD: đính kèm nhầm tệp"}))
