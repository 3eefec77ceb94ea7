from django import forms

from .models import ConsentPurpose


class ConsentPaperForm(forms.Form):
    purpose = forms.ChoiceField(label="Mục đích", choices=ConsentPurpose.choices)
    guardian_name = forms.CharField(label="Họ tên cha mẹ / người giám hộ đã ký", max_length=120)
    student_agreed = forms.BooleanField(label="Học sinh cùng đồng ý (bắt buộc từ 7 tuổi)", required=False)
    signed_on = forms.DateField(label="Ngày ký", widget=forms.DateInput(attrs={"type": "date"}))
    scan = forms.FileField(label="Bản quét phiếu có chữ ký (PDF, ảnh)")


class WithdrawForm(forms.Form):
    purpose = forms.ChoiceField(label="Mục đích", choices=ConsentPurpose.choices)
    note = forms.CharField(label="Ghi chú (ai yêu cầu, khi nào)", max_length=300, required=False)


class LessonForm(forms.Form):
    held_on = forms.DateField(label="Ngày dạy", widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label="Chủ đề", max_length=200)
    teacher_name = forms.CharField(label="Giáo viên dạy", max_length=120)
    material = forms.CharField(label="Tài liệu", max_length=300, required=False)


class RegisterForm(forms.Form):
    on = forms.DateField(label="Ngày cam kết (theo sổ)", widget=forms.DateInput(attrs={"type": "date"}))


class RosterUploadForm(forms.Form):
    file = forms.FileField(label="Tệp danh sách (.xlsx theo mẫu)")
