from django import forms

from cyberyouth.orgs.forms import DATE_WIDGET
from cyberyouth.orgs.models import UnitType

from .models import ProgressStatus
from .services import SUMMARY_MAX


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", choices=ProgressStatus.choices)
    summary = forms.CharField(label="Kết quả thực hiện", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              max_length=SUMMARY_MAX)
    started_on = forms.DateField(label="Ngày bắt đầu", widget=DATE_WIDGET, required=False)
    completed_on = forms.DateField(label="Ngày hoàn thành", widget=DATE_WIDGET, required=False)


class EvidenceForm(forms.Form):
    title = forms.CharField(label="Tên minh chứng", max_length=300, required=False)
    file = forms.FileField(label="Tệp (PDF, DOCX, XLSX, JPG, PNG; tối đa 10 MB)", required=False)
    url = forms.URLField(label="hoặc đường dẫn", max_length=1000, required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError("Chọn một tệp hoặc nhập một đường dẫn.")
        if data.get("file") and data.get("url"):
            raise forms.ValidationError("Mỗi lần chỉ thêm một minh chứng: tệp hoặc đường dẫn.")
        return data


class MatrixFilterForm(forms.Form):
    nam = forms.IntegerField(label="Năm", min_value=2022, max_value=2030, required=False)
    nhom = forms.IntegerField(label="Nhóm nhiệm vụ", min_value=1, max_value=20, required=False)
    loai = forms.ChoiceField(label="Loại đơn vị", choices=[("", "Tất cả")] + list(UnitType.choices), required=False)
    trang_thai = forms.ChoiceField(
        label="Trạng thái", required=False,
        choices=[("", "Tất cả")] + list(ProgressStatus.choices) + [("missing", "Chưa báo cáo")],
    )


class ChildPlanForm(forms.Form):
    title = forms.CharField(label="Tên kế hoạch", max_length=600)
    number = forms.CharField(label="Số, ký hiệu", max_length=60, required=False)
    year = forms.IntegerField(label="Năm", min_value=2022, max_value=2030)
    issued_on = forms.DateField(label="Ngày ban hành", widget=DATE_WIDGET, required=False)
