from django import forms

from cyberyouth.orgs.models import Unit

from . import rules


def _service_checks_text(form) -> None:
    # The service says what is wrong with a message, in Vietnamese (Django's NUL check is English).
    form.fields["text"].validators = []
from .models import AgeBand, Channel, ContactKind, EntryKind, Gender, ReferralTo, Urgency


class HelpForm(forms.Form):
    text = forms.CharField(label="Bạn đang gặp chuyện gì?", required=False, strip=False, widget=forms.Textarea(attrs={
        "rows": 6, "placeholder": "Viết như đang nhắn tin cho một người bạn tin cậy. Không cần ghi tên."}))
    kind = forms.ChoiceField(label="Chuyện này là", initial=ContactKind.SELF, choices=[
        (ContactKind.SELF, "Về mình"), (ContactKind.OTHER_CHILD, "Về một bạn khác"),
        (ContactKind.QUESTION, "Mình muốn hỏi")])
    school = forms.ModelChoiceField(label="Trường (không bắt buộc)", queryset=Unit.objects.none(), required=False,
                                    empty_label="Không muốn nói")
    age_band = forms.ChoiceField(label="Tuổi (không bắt buộc)", choices=AgeBand.choices, required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        _service_checks_text(self)
        if schools is not None:
            self.fields["school"].queryset = schools


class ReturnForm(forms.Form):
    code = forms.CharField(label="Mã ca", max_length=40, widget=forms.TextInput(attrs={
        "autocomplete": "off", "autocapitalize": "characters", "placeholder": "ABCDE-FGHJK"}))
    secret = forms.CharField(label="Mật mã", max_length=80, widget=forms.PasswordInput(attrs={"autocomplete": "off"}))


class WriteAgainForm(forms.Form):
    text = forms.CharField(label="Viết thêm", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4}))
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _service_checks_text(self)


class AnswerForm(forms.Form):
    text = forms.CharField(label="Trả lời học sinh (học sinh đọc được)", required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=[(k, EntryKind(k).label) for k in
                                                   (EntryKind.NOTE, EntryKind.CALL, EntryKind.ACTION)])
    text = forms.CharField(label="Nội dung (chỉ người xử lý ca và giám sát đọc được)", max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class UrgencyForm(forms.Form):
    urgency = forms.ChoiceField(label="Mức khẩn", choices=Urgency.choices)
    reason = forms.CharField(label="Lý do", max_length=2000)


class StatusForm(forms.Form):
    to = forms.ChoiceField(label="Chuyển sang", choices=list(rules.STATUS_LABELS.items()))
    reason = forms.CharField(label="Lý do", max_length=500, required=False)


class PlanForm(forms.Form):
    risk_assessment = forms.CharField(label="Đánh giá nguy cơ (Mẫu 02)", max_length=20000,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    support_plan = forms.CharField(label="Kế hoạch hỗ trợ (Mẫu 03)", max_length=20000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))


class ReferralForm(forms.Form):
    to = forms.ChoiceField(label="Chuyển đến", choices=ReferralTo.choices)
    recipient = forms.CharField(label="Nơi nhận cụ thể (để trống: mặc định)", max_length=300, required=False)
    reason = forms.CharField(label="Lý do, đề nghị", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReferralAnswerForm(forms.Form):
    answer = forms.CharField(label="Phản hồi của nơi nhận", max_length=5000)


class TransferForm(forms.Form):
    unit = forms.ModelChoiceField(label="Tổng đài nhận", queryset=Unit.objects.filter(helpline__isnull=False))
    note = forms.CharField(label="Ghi chú", max_length=2000)


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(label="Kênh", choices=[(c, Channel(c).label) for c in
                                                      (Channel.PHONE, Channel.WALK_IN, Channel.REFERRAL_111)])
    kind = forms.ChoiceField(label="Loại liên hệ", choices=ContactKind.choices)
    urgency = forms.ChoiceField(label="Mức khẩn", choices=Urgency.choices, initial=Urgency.NOT_URGENT)
    categories = forms.MultipleChoiceField(label="Nhóm vấn đề", required=False, widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label="Tóm tắt", max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    age_band = forms.ChoiceField(label="Tuổi", choices=AgeBand.choices, required=False)
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices, required=False)
    school = forms.ModelChoiceField(label="Trường", queryset=Unit.objects.none(), required=False)
    class_name = forms.CharField(label="Lớp", max_length=20, required=False)
    area = forms.CharField(label="Khu vực", max_length=100, required=False)

    def __init__(self, *args, schools=None, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        if schools is not None:
            self.fields["school"].queryset = schools
        self.fields["categories"].choices = [(c.code, c.name) for c in categories]
