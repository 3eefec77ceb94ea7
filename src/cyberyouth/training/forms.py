from decimal import Decimal

from django import forms

from .models import Mode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Ngày không hợp lệ."}


class StaffForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=200)
    position = forms.CharField(label="Chức vụ", max_length=200, required=False)
    birth_date = forms.DateField(label="Ngày sinh", required=False, widget=DATE, error_messages=DATE_ERRORS)
    staff_code = forms.CharField(label="Mã cán bộ", max_length=50, required=False)
    joined_on = forms.DateField(label="Bắt đầu công tác tại đơn vị", required=False, widget=DATE,
                                error_messages=DATE_ERRORS)
    does_student_work = forms.BooleanField(label="Làm công tác học sinh, sinh viên", required=False, initial=True)


class CourseForm(forms.Form):
    title = forms.CharField(label="Tên lớp tập huấn", max_length=300)
    organiser = forms.CharField(label="Đơn vị tổ chức", max_length=300)
    topic = forms.CharField(label="Chủ đề", max_length=300, required=False)
    starts_on = forms.DateField(label="Từ ngày", widget=DATE, error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label="Đến ngày", widget=DATE, error_messages=DATE_ERRORS)
    mode = forms.ChoiceField(label="Hình thức", choices=Mode.choices)
    hours = forms.IntegerField(label="Số giờ", min_value=0, initial=0,
                               error_messages={"min_value": "Không được là số âm.", "invalid": "Phải là số nguyên."})
    counts_for_indicator = forms.BooleanField(
        label="Về tuyên truyền, đấu tranh trên không gian mạng (tính vào chỉ tiêu 3)", required=False, initial=True)
    min_attendance_percent = forms.IntegerField(
        label="Hoàn thành khi dự ít nhất (% số giờ các buổi học)", min_value=1, max_value=100, initial=80,
        error_messages={"min_value": "Từ 1 đến 100.", "max_value": "Từ 1 đến 100.", "invalid": "Phải là số nguyên."})


class CompletionForm(forms.Form):
    staff = forms.IntegerField(label="Cán bộ", widget=forms.Select)
    completed_on = forms.DateField(label="Ngày hoàn thành", widget=DATE, error_messages=DATE_ERRORS)
    certificate_no = forms.CharField(label="Số giấy chứng nhận", max_length=100, required=False)

    def __init__(self, *args, pool=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].widget.choices = [("", "— chọn —")] + [(s.id, s.full_name) for s in pool]


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp (Excel .xlsx hoặc CSV)")


class SessionForm(forms.Form):
    topic = forms.CharField(label="Chủ đề buổi học", max_length=300)
    held_on = forms.DateField(label="Ngày học", widget=DATE, error_messages=DATE_ERRORS)
    hours = forms.DecimalField(label="Số giờ", max_digits=4, decimal_places=1, min_value=Decimal("0.1"),
                               max_value=24, localize=True,
                               error_messages={"invalid": "Số giờ phải là số, ví dụ 3 hoặc 3,5.",
                                               "min_value": "Số giờ phải lớn hơn 0.",
                                               "max_value": "Không quá 24 giờ một buổi.",
                                               "max_decimal_places": "Chỉ một chữ số sau dấu phẩy."})
    mode = forms.ChoiceField(label="Hình thức", choices=Mode.choices)
    organiser = forms.CharField(label="Người / đơn vị phụ trách", max_length=300, required=False)
    place = forms.CharField(label="Địa điểm hoặc đường dẫn", max_length=300, required=False)


class RuleForm(forms.Form):
    min_attendance_percent = forms.IntegerField(
        label="Hoàn thành khi dự ít nhất (% số giờ)", min_value=1, max_value=100,
        error_messages={"min_value": "Từ 1 đến 100.", "max_value": "Từ 1 đến 100.", "invalid": "Phải là số nguyên."})


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Lý do thu hồi", max_length=300)
