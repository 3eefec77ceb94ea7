from django import forms

from .models import ConsentPurpose
from .models import SessionForm as SessionFormChoices


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


class ConsentOnlineForm(forms.Form):
    code = forms.CharField(label="Mã trên thư của nhà trường", max_length=20)
    guardian_name = forms.CharField(label="Họ tên cha mẹ / người giám hộ", max_length=120)
    purposes = forms.MultipleChoiceField(label="Gia đình đồng ý cho", choices=ConsentPurpose.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)
    student_agreed = forms.BooleanField(label="Con tôi (từ 7 tuổi) cũng đã đồng ý", required=False)


class FirstLoginForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập (trên phiếu)", max_length=150)
    code = forms.CharField(label="Mã lần đầu (trên phiếu)", max_length=20)
    password = forms.CharField(label="Mật khẩu mới (ít nhất 8 ký tự)", widget=forms.PasswordInput, max_length=128)
    password_again = forms.CharField(label="Nhập lại mật khẩu", widget=forms.PasswordInput, max_length=128)


class LeaveForm(forms.Form):
    on = forms.DateField(label="Ngày rời trường", widget=forms.DateInput(attrs={"type": "date"}))
    graduated = forms.BooleanField(label="Tốt nghiệp", required=False)


class TransferForm(forms.Form):
    to_unit = forms.CharField(label="Mã trường chuyển đến", max_length=40)
    on = forms.DateField(label="Ngày chuyển", widget=forms.DateInput(attrs={"type": "date"}))


class ViolationForm(forms.Form):
    decided_on = forms.DateField(label="Ngày quyết định", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Lý do (theo biên bản của nhà trường)", max_length=500)


class SessionForm(forms.Form):
    held_on = forms.DateField(label="Ngày tuyên truyền", widget=forms.DateInput(attrs={"type": "date"}))
    form = forms.ChoiceField(label="Hình thức", choices=SessionFormChoices.choices)
    materials = forms.CharField(label="Tài liệu", max_length=300, required=False)


class SchoolYearForm(forms.Form):
    name = forms.CharField(label="Năm học", max_length=20, widget=forms.TextInput(attrs={"placeholder": "2026-2027"}))
    starts_on = forms.DateField(label="Bắt đầu", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Kết thúc", widget=forms.DateInput(attrs={"type": "date"}))


class ClassForm(forms.Form):
    name = forms.CharField(label="Tên lớp", max_length=60, widget=forms.TextInput(attrs={"placeholder": "6A"}))
    grade = forms.IntegerField(label="Khối (1–12; để trống với lớp nghề)", required=False)
    programme = forms.CharField(label="Ngành, khóa (lớp nghề)", max_length=120, required=False)
    homeroom_teacher = forms.TypedChoiceField(label="Giáo viên chủ nhiệm", coerce=int, required=False, empty_value=None,
                                              choices=[])

    def __init__(self, *args, teachers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homeroom_teacher"].choices = [("", "— chưa phân công —")] + [
            (t.pk, t.get_full_name() or t.username) for t in teachers]


class TeacherForm(forms.Form):
    teacher = forms.TypedChoiceField(label="Giáo viên chủ nhiệm", coerce=int, required=False, empty_value=None,
                                     choices=[])

    def __init__(self, *args, teachers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].choices = [("", "— chưa phân công —")] + [
            (t.pk, t.get_full_name() or t.username) for t in teachers]
