from django import forms

from .models import Answer, Mode


class DialogueForm(forms.Form):
    unit = forms.ChoiceField(label="Trường")
    title = forms.CharField(label="Chủ đề", max_length=200,
                            initial="Đối thoại giữa lãnh đạo nhà trường với học sinh")
    held_on = forms.DateField(label="Ngày tổ chức", widget=forms.DateInput(attrs={"type": "date"}))
    starts_at = forms.TimeField(label="Giờ bắt đầu", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    mode = forms.ChoiceField(label="Hình thức", choices=Mode.choices, widget=forms.RadioSelect)
    place = forms.CharField(label="Địa điểm (trực tiếp)", max_length=200, required=False)
    meeting_url = forms.CharField(label="Đường dẫn họp trực tuyến", max_length=500, required=False,
                                  help_text="Ví dụ https://meet.google.com/… — học sinh bấm để mở; trang không nhúng "
                                            "nội dung của bên ngoài.")
    leaders = forms.CharField(label="Lãnh đạo tham gia (mỗi dòng: Họ tên — chức vụ)", widget=forms.Textarea(
        attrs={"rows": 3}), required=False)
    leader_users = forms.MultipleChoiceField(label="hoặc chọn tài khoản cán bộ của trường", required=False,
                                             widget=forms.CheckboxSelectMultiple)
    classes = forms.MultipleChoiceField(label="Lớp tham dự (không chọn: cả trường)", required=False,
                                        widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label="Nội dung, gợi ý câu hỏi cho học sinh", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)
    anonymous_allowed = forms.BooleanField(label="Cho phép học sinh hỏi ẩn danh", required=False, initial=True)

    def __init__(self, *args, units=(), staff=(), classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]
        self.fields["leader_users"].choices = [(str(u.id), u.full_name or u.username) for u in staff]
        self.fields["classes"].choices = [(str(c.id), c.name) for c in classes]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()


def parse_leaders(text: str) -> list[dict]:
    """"Nguyễn Văn A — Hiệu trưởng" lines (— or - or , between name and position)."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for sep in ("—", "–", " - ", ","):
            if sep in line:
                name, position = line.split(sep, 1)
                break
        else:
            name, position = line, ""
        out.append({"user": None, "name": name.strip(), "position": position.strip()})
    return out


class QuestionForm(forms.Form):
    text = forms.CharField(label="Câu hỏi của em", max_length=500, widget=forms.Textarea(
        attrs={"rows": 4, "placeholder": "Em muốn hỏi thầy cô điều gì?"}))
    anonymous = forms.BooleanField(label="Gửi ẩn danh (không ai biết em hỏi, kể cả thầy cô)", required=False)


class ReviewForm(forms.Form):
    text = forms.CharField(label="Câu hỏi (có thể sửa lỗi chính tả)", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="Lý do không đăng", max_length=300, required=False)


class MarkForm(forms.Form):
    answer = forms.ChoiceField(label="Tình trạng", choices=Answer.choices)
    answer_text = forms.CharField(label="Tóm tắt câu trả lời", required=False, max_length=3000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    answered_by = forms.CharField(label="Người trả lời", required=False, max_length=200)


class MinutesForm(forms.Form):
    attendance = forms.IntegerField(label="Số học sinh tham dự", min_value=1, max_value=100000)
    chair = forms.CharField(label="Chủ trì", max_length=200)
    secretary = forms.CharField(label="Thư ký", max_length=200, required=False)
    summary = forms.CharField(label="Diễn biến, ý kiến chính", required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 6}))


class CommitmentForm(forms.Form):
    text = forms.CharField(label="Nội dung cam kết", max_length=500)
    owner_name = forms.CharField(label="Người chịu trách nhiệm", max_length=200, required=False)
    owner = forms.ChoiceField(label="hoặc tài khoản cán bộ", required=False)
    due_on = forms.DateField(label="Hạn hoàn thành", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + [(str(u.id), u.full_name or u.username) for u in staff]


class DoneForm(forms.Form):
    done_on = forms.DateField(label="Ngày hoàn thành", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Kết quả", max_length=500, required=False)
