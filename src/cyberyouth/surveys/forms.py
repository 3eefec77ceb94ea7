from django import forms

from .models import QuestionKind


class DateInput(forms.DateInput):
    input_type = "date"


class SurveyForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label="Đơn vị tổ chức", queryset=None, empty_label=None)
    template = forms.ChoiceField(label="Bắt đầu từ", required=False)
    title = forms.CharField(label="Tên khảo sát", max_length=200, required=False,
                            help_text="Để trống khi dùng mẫu: lấy tên của mẫu.")
    intro = forms.CharField(label="Lời giới thiệu", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_on = forms.DateField(label="Mở từ ngày", widget=DateInput)
    closes_on = forms.DateField(label="Đóng sau ngày", widget=DateInput)
    allow_links = forms.BooleanField(label="Cho trả lời bằng mã dùng một lần (học sinh không cần tài khoản)",
                                     required=False)

    def __init__(self, *args, units=None, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units
        self.fields["template"].choices = [("", "Khảo sát trống")] + [(t["key"], f"Mẫu: {t['title']}")
                                                                        for t in templates]


class SurveyEditForm(forms.Form):
    title = forms.CharField(label="Tên khảo sát", max_length=200)
    intro = forms.CharField(label="Lời giới thiệu", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_on = forms.DateField(label="Mở từ ngày", widget=DateInput)
    closes_on = forms.DateField(label="Đóng sau ngày", widget=DateInput)
    allow_links = forms.BooleanField(label="Cho trả lời bằng mã dùng một lần", required=False)


class AudienceForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label="Các trường (để trống: mọi trường thuộc đơn vị tổ chức)",
                                           queryset=None, required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 6}))
    grades = forms.MultipleChoiceField(label="Các khối (để trống: mọi khối)", required=False,
                                       choices=[(str(g), f"Khối {g}") for g in range(1, 13)],
                                       widget=forms.CheckboxSelectMultiple)
    classes = forms.ModelMultipleChoiceField(label="Các lớp (để trống: mọi lớp của các khối đã chọn)",
                                             queryset=None, required=False,
                                             widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, units=None, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["classes"].queryset = classes
        self.fields["classes"].label_from_instance = lambda c: f"{c.name} — {c.unit.name}"


class SectionForm(forms.Form):
    title = forms.CharField(label="Tên phần", max_length=200)
    text = forms.CharField(label="Lời dẫn", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(label="Thuộc phần", queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="Loại câu hỏi", choices=QuestionKind.choices)
    text = forms.CharField(label="Câu hỏi", max_length=500)
    help_text = forms.CharField(label="Gợi ý", max_length=300, required=False)
    options = forms.CharField(label="Các lựa chọn (mỗi dòng một lựa chọn; cho câu chọn một, chọn nhiều)",
                              required=False, widget=forms.Textarea(attrs={"rows": 4}))
    scale_low = forms.CharField(label="Nhãn mức 1 (thang 1–5)", max_length=60, required=False)
    scale_high = forms.CharField(label="Nhãn mức 5 (thang 1–5)", max_length=60, required=False)
    required = forms.BooleanField(label="Bắt buộc trả lời", required=False)
    show_if_question = forms.ModelChoiceField(label="Chỉ hiện khi câu", queryset=None, required=False,
                                              empty_label="(luôn hiện)")
    show_if_values = forms.CharField(label="… được trả lời là (số thứ tự lựa chọn, cách nhau bởi dấu phẩy)",
                                     required=False, max_length=60)

    def __init__(self, *args, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()
        self.fields["section"].label_from_instance = lambda s: f"Phần {s.position}. {s.title}"
        self.fields["show_if_question"].queryset = survey.questions.exclude(kind=QuestionKind.TEXT)
        self.fields["show_if_question"].label_from_instance = lambda q: f"Câu {q.position}. {q.text[:60]}"

    def clean_show_if_values(self):
        raw = self.cleaned_data["show_if_values"]
        try:
            return [int(v) for v in raw.replace(";", ",").split(",") if v.strip()]
        except ValueError:
            raise forms.ValidationError("Ghi các số thứ tự, ví dụ: 2, 3") from None


class LinksForm(forms.Form):
    school_class = forms.ModelChoiceField(label="Lớp", queryset=None, empty_label=None)
    count = forms.IntegerField(label="Số mã (mỗi em một mã)", min_value=1, max_value=500)

    def __init__(self, *args, classes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
        self.fields["school_class"].label_from_instance = lambda c: f"{c.name} — {c.unit.name}"


class CodeForm(forms.Form):
    code = forms.CharField(label="Mã phiếu", max_length=20)
