from django import forms

from .models import ActivityKind, MemberRole, TeamKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Ngày không hợp lệ."}


class TeamForm(forms.Form):
    unit = forms.ChoiceField(label="Đơn vị")
    kind = forms.ChoiceField(label="Loại", choices=TeamKind.choices)
    name = forms.CharField(label="Tên", max_length=200)
    purpose = forms.CharField(label="Mục đích, nội dung sinh hoạt", required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    founded_on = forms.DateField(label="Ngày thành lập", required=False, widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]


class MemberForm(forms.Form):
    person = forms.ChoiceField(label="Học sinh hoặc cán bộ")
    role = forms.ChoiceField(label="Vai trò", choices=MemberRole.choices)
    joined_on = forms.DateField(label="Tham gia từ", required=False, widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args, students=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "— chọn —"),
                                         ("Học sinh (đã có đồng ý)", [(f"hs-{s.id}", s.full_name) for s in students]),
                                         ("Cán bộ", [(f"cb-{s.id}", s.full_name) for s in staff])]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="Loại hoạt động", choices=ActivityKind.choices)
    title = forms.CharField(label="Tên hoạt động", max_length=300)
    held_on = forms.DateField(label="Ngày", widget=DATE, error_messages=DATE_ERRORS)
    participants = forms.IntegerField(label="Số người tham gia", min_value=0, initial=0,
                                      error_messages={"min_value": "Không được là số âm.",
                                                      "invalid": "Phải là số nguyên."})
    description = forms.CharField(label="Kết quả, ghi chú", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    post_ids = forms.MultipleChoiceField(label="Bài đăng của đơn vị (sổ bài đăng tin tốt)", required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post_ids"].choices = [
            (str(p.id), f"{p.day:%d/%m/%Y} · {p.channel.name} · {(p.text or p.url)[:80]}") for p in posts]


class ThreadForm(forms.Form):
    title = forms.CharField(label="Chủ đề", max_length=200)
    text = forms.CharField(label="Nội dung", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class MessageForm(forms.Form):
    text = forms.CharField(label="Trả lời", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
