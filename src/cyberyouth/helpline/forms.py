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


WEEKDAY_FIELDS = [(f"day_{i}", name) for i, name in enumerate(
    ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"))]


class SettingsForm(forms.Form):
    name = forms.CharField(label="Tên tổng đài", max_length=200)
    phone = forms.CharField(label="Số điện thoại", max_length=40, required=False)
    alert_email = forms.EmailField(label="Hộp thư nhận báo ca khẩn (ngoài tư vấn viên đang trực)", required=False)
    holidays = forms.BooleanField(label="Phục vụ cả ngày nghỉ lễ, Tết", required=False)
    first_critical = forms.IntegerField(label="Khẩn cấp (phút)", min_value=1)
    first_urgent = forms.IntegerField(label="Cần xử lý sớm (phút)", min_value=1)
    first_not_urgent = forms.IntegerField(label="Không khẩn (phút)", min_value=1)
    notify_hours = forms.IntegerField(label="Báo UBND cấp xã/đặc khu (giờ)", min_value=1)
    danger_hours = forms.IntegerField(label="Biện pháp khẩn cấp khi trẻ gặp nguy hiểm (giờ, tối đa 12)", min_value=1)
    plan_working_days = forms.IntegerField(label="Lập kế hoạch hỗ trợ (ngày làm việc, tối đa 5)", min_value=1)
    warn_minutes = forms.IntegerField(label="Cảnh báo trước khi đến hạn (phút)", min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, name in WEEKDAY_FIELDS:
            self.fields[field] = forms.CharField(
                label=name, required=False, max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "07:00-11:30, 13:30-17:00 (để trống: nghỉ)"}))

    @staticmethod
    def initial_for(helpline) -> dict:
        hours = helpline.hours or {}
        first = {**rules.FIRST_ANSWER_MINUTES, **(helpline.first_answer_minutes or {})}
        return {"name": helpline.name, "phone": helpline.phone, "alert_email": helpline.alert_email,
                "holidays": bool(hours.get("holidays")),
                **{f"day_{i}": ", ".join(f"{s}-{e}" for s, e in hours.get(str(i), [])) for i in range(7)},
                "first_critical": first[Urgency.CRITICAL], "first_urgent": first[Urgency.URGENT],
                "first_not_urgent": first[Urgency.NOT_URGENT], "notify_hours": helpline.notify_hours,
                "danger_hours": helpline.danger_hours, "plan_working_days": helpline.plan_working_days,
                "warn_minutes": helpline.warn_minutes}


class ShiftForm(forms.Form):
    user = forms.TypedChoiceField(label="Tư vấn viên", coerce=int, choices=[])
    starts_at = forms.DateTimeField(label="Từ", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"])
    ends_at = forms.DateTimeField(label="Đến", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                  input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(p.pk, p.get_full_name() or p.username) for p in people]
