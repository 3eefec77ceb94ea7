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
