from django import forms

from cyberyouth.channels.models import Platform
from cyberyouth.orgs.models import ADMINISTRATIVE_TYPES, Unit

from .models import ActionKind, Outcome


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Quyết định", choices=Outcome.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label="Nhóm vi phạm (khi xác nhận)", required=False)
    also = forms.MultipleChoiceField(
        label="Cũng thuộc nhóm (nếu có)", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Một nội dung có thể thuộc nhiều nhóm: lời đe dọa một bạn vừa là bắt nạt vừa là bạo lực.")
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.code, c.name) for c in categories]
        self.fields["also"].choices = [(c.code, c.name) for c in categories]


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="Việc", choices=ActionKind.choices)
    recipient = forms.CharField(label="Nơi nhận", required=False, max_length=300,
                                help_text="Để trống để dùng nơi nhận mặc định.")
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Ảnh chụp / tệp (PNG, JPG, PDF, TXT; tối đa 5 MB)")


class SourceForm(forms.Form):
    platform = forms.ChoiceField(label="Nền tảng", choices=Platform.choices)
    name = forms.CharField(label="Tên kênh", max_length=300)
    address = forms.CharField(label="Địa chỉ kênh", max_length=1000)
    feed_url = forms.CharField(label="Địa chỉ RSS/Atom", max_length=1000, required=False)
    external_id = forms.CharField(label="Mã trên nền tảng (ID trang Facebook, kênh/video YouTube)", max_length=200,
                                  required=False)
    fetch_interval_minutes = forms.IntegerField(label="Chu kỳ lấy tin (phút)", initial=60, min_value=5,
                                                max_value=7 * 24 * 60)
    zone_unit = forms.ModelChoiceField(label="Địa bàn phụ trách", queryset=Unit.objects.none())

    def __init__(self, *args, zone_units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone_unit"].queryset = zone_units if zone_units is not None else Unit.objects.none()


class ImportForm(forms.Form):
    channel = forms.ModelChoiceField(label="Kênh", queryset=Unit.objects.none())
    file = forms.FileField(label="Tệp CSV hoặc XLSX (cột: text, url, external_id, author, published_at)")

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = channels


class CategoryForm(forms.Form):
    code = forms.SlugField(label="Mã", max_length=40)
    name = forms.CharField(label="Tên nhóm", max_length=120)
    severity = forms.IntegerField(label="Mức nghiêm trọng (0–9, cao xếp trước)", min_value=0, max_value=9, initial=2)
    threshold = forms.FloatField(label="Ngưỡng (0–1, chỉ nhóm của bộ máy)", required=False, min_value=0, max_value=1)
    active = forms.BooleanField(label="Đang dùng", required=False, initial=True)


class ReportForm(forms.Form):
    """The public report form. `website` is the honeypot: hidden from people, filled by bots."""

    unit = forms.ModelChoiceField(label="Địa bàn", queryset=Unit.objects.none(), empty_label=None)
    link = forms.CharField(label="Đường dẫn nội dung", max_length=1000, required=False)
    text = forms.CharField(label="Nội dung hoặc mô tả", required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(label="Ảnh chụp màn hình (không bắt buộc, PNG/JPG tối đa 5 MB)", required=False)
    reporter_name = forms.CharField(label="Họ tên (không bắt buộc)", max_length=150, required=False)
    reporter_contact = forms.CharField(label="Điện thoại hoặc email (không bắt buộc)", max_length=150, required=False)
    website = forms.CharField(required=False)
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q
        from django.utils import timezone

        today = timezone.localdate()
        self.fields["unit"].queryset = Unit.objects.filter(unit_type__in=ADMINISTRATIVE_TYPES).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=today), valid_from__lte=today).exclude(parent__isnull=True)
