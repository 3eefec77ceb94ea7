from django import forms

from .models import DayKind, PostKind


class DayForm(forms.Form):
    name = forms.CharField(label="Tên ngày", max_length=200)
    kind = forms.ChoiceField(label="Lịch", choices=DayKind.choices)
    day = forms.IntegerField(label="Ngày", min_value=1, max_value=31)
    month = forms.IntegerField(label="Tháng", min_value=1, max_value=12)
    origin_year = forms.IntegerField(label="Năm diễn ra (để tính năm kỷ niệm)", required=False, min_value=1000,
                                     max_value=2100)
    unit = forms.ChoiceField(label="Ngày riêng của đơn vị", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [("", "— ngày chung của cả địa bàn —")] + [(u.code, u.name) for u in units]

    def clean_unit(self):
        code = self.cleaned_data.get("unit")
        return self.units.get(code) if code else None


class PostLinkForm(forms.Form):
    channel = forms.TypedChoiceField(label="Kênh", coerce=int)
    url = forms.CharField(label="Liên kết bài đăng", max_length=1000)
    posted_at = forms.DateTimeField(label="Thời điểm đăng (giờ Việt Nam)",
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"])
    text = forms.CharField(label="Nội dung (tóm tắt)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    views = forms.IntegerField(label="Lượt xem", required=False, min_value=0)
    reactions = forms.IntegerField(label="Lượt thích, cảm xúc", required=False, min_value=0)
    shares = forms.IntegerField(label="Lượt chia sẻ", required=False, min_value=0)

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c.id, f"{c.name} — {c.owner_unit.name}") for c in channels]


MARKS = [(PostKind.GOOD_NEWS, "Tin tốt"), (PostKind.STORY, "Câu chuyện đẹp"), (PostKind.NEITHER, "Không thuộc")]


class CommendationForm(forms.Form):
    kind = forms.ChoiceField(label="Khen", choices=[("collective", "Tập thể (đơn vị)"), ("person", "Cá nhân")])
    unit = forms.ChoiceField(label="Đơn vị")
    year = forms.IntegerField(label="Năm thành tích", min_value=2022, max_value=2100)
    person_name = forms.CharField(label="Họ và tên (khi khen cá nhân)", max_length=200, required=False,
                                  help_text="Cán bộ, giáo viên, đoàn viên. Không ghi tên học sinh khi gia đình chưa đồng ý.")
    person_position = forms.CharField(label="Chức vụ (khi khen cá nhân)", max_length=200, required=False)
    achievements = forms.CharField(label="Thành tích", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="Số liệu đăng tin của đơn vị được hệ thống tính và gắn kèm đề nghị.")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [(u.code, u.name) for u in units]

    def clean_unit(self):
        return self.units.get(self.cleaned_data.get("unit"))


class ReturnForm(forms.Form):
    reason = forms.CharField(label="Lý do trả lại", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    number = forms.CharField(label="Số quyết định (để trống nếu văn thư cấp số sau)", max_length=40, required=False)
    signed_on = forms.DateField(label="Ngày ký", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    signer_title = forms.CharField(label="Chức vụ người ký (ví dụ: PHÓ CHỦ TỊCH)", max_length=100, required=False)
    signer_name = forms.CharField(label="Họ tên người ký", max_length=100, required=False)


class ResubmitForm(forms.Form):
    achievements = forms.CharField(label="Thành tích (đã sửa)", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
