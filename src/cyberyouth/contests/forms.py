from django import forms
from django.utils import timezone

from .models import Difficulty, QuestionKind, Review

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Loại câu hỏi", choices=QuestionKind.choices)
    text = forms.CharField(label="Câu hỏi", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    options = forms.CharField(
        label="Các phương án", widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text="Mỗi dòng một phương án; thêm dấu * ở đầu phương án đúng. Câu Đúng/Sai: ghi * Đúng hoặc * Sai.")
    difficulty = forms.TypedChoiceField(label="Độ khó", choices=Difficulty.choices, coerce=int,
                                        initial=Difficulty.MEDIUM)
    tags = forms.CharField(label="Chủ đề", max_length=300, required=False,
                           help_text="Một hoặc nhiều chủ đề, cách nhau bằng dấu chấm phẩy.")
    explanation = forms.CharField(label="Giải thích", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                  max_length=4000)
    source = forms.CharField(label="Nguồn", max_length=300, required=False)

    def values(self) -> dict:
        d = self.cleaned_data
        options = []
        for line in d["options"].splitlines():
            line = line.strip()
            if line:
                right = line.startswith("*")
                options.append((line.lstrip("*").strip(), right))
        if d["kind"] == "truefalse":
            right = next((t for t, c in options if c), "Đúng")
            options = [("Đúng", right.casefold() == "đúng"), ("Sai", right.casefold() != "đúng")]
        return {"kind": d["kind"], "text": d["text"], "options": options, "difficulty": d["difficulty"],
                "tags": [t for t in d["tags"].split(";") if t.strip()], "explanation": d["explanation"],
                "source": d["source"]}

    @staticmethod
    def initial_from(version) -> dict:
        return {"kind": version.kind, "text": version.text, "difficulty": version.difficulty,
                "options": "\n".join(("* " if o["correct"] else "") + o["text"] for o in version.options),
                "tags": "; ".join(t.name for t in version.tags.all()), "explanation": version.explanation,
                "source": version.source}


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp câu hỏi (.xlsx theo mẫu, Moodle XML .xml, GIFT .gift/.txt)")


class ContestForm(forms.Form):
    title = forms.CharField(label="Tên cuộc thi", max_length=200)
    description = forms.CharField(label="Thể lệ", widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=5000)
    audience = forms.MultipleChoiceField(label="Đơn vị dự thi (học sinh của các đơn vị này và cấp dưới)",
                                         widget=forms.CheckboxSelectMultiple)
    grades = forms.CharField(label="Khối lớp", required=False, max_length=60,
                             help_text="Ví dụ: 6, 7, 8, 9. Để trống: mọi khối.")
    prizes = forms.CharField(label="Cơ cấu giải (Nhất, Nhì, Ba, Khuyến khích)", initial="1, 2, 3, 5", max_length=40)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [(u.code, u.name) for u in units]

    def clean_grades(self):
        try:
            return [int(x) for x in self.cleaned_data["grades"].replace(";", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError("Ghi các số khối, cách nhau bằng dấu phẩy.") from None

    def clean_prizes(self):
        try:
            values = [int(x) for x in self.cleaned_data["prizes"].replace(";", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError("Ghi 4 số, cách nhau bằng dấu phẩy.") from None
        if len(values) != 4:
            raise forms.ValidationError("Ghi 4 số: giải Nhất, Nhì, Ba, Khuyến khích.")
        return values


class RoundForm(forms.Form):
    title = forms.CharField(label="Tên vòng", max_length=200)
    topic = forms.CharField(label="Chủ đề của vòng", max_length=200, required=False)
    opens_at = forms.DateTimeField(label="Mở lúc (giờ Việt Nam)", input_formats=[LOCAL_INPUT],
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT))
    closes_at = forms.DateTimeField(label="Đóng lúc (giờ Việt Nam)", input_formats=[LOCAL_INPUT],
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT))
    time_limit_minutes = forms.IntegerField(label="Thời gian làm bài (phút)", min_value=1, max_value=240, initial=10)
    attempts_allowed = forms.IntegerField(label="Số lượt thi mỗi học sinh", min_value=1, max_value=100, initial=1)
    tag = forms.ChoiceField(label="Chủ đề câu hỏi", required=False)
    difficulty = forms.TypedChoiceField(label="Độ khó", choices=[("", "Mọi độ khó"), *Difficulty.choices],
                                        coerce=int, empty_value=None, required=False)
    count = forms.IntegerField(label="Số câu mỗi lượt", min_value=1, max_value=100, initial=10)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Mọi chủ đề"), *[(str(t.id), t.name) for t in tags]]


class TargetForm(forms.Form):
    unit = forms.ChoiceField(label="Đơn vị")
    participants = forms.IntegerField(label="Chỉ tiêu số học sinh tham gia", min_value=0, max_value=10_000_000)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="Quyết định", choices=[(Review.CLEARED.value, Review.CLEARED.label),
                                                              (Review.EXCLUDED.value, Review.EXCLUDED.label)])
    note = forms.CharField(label="Lý do", max_length=300, required=False)


class SubmitForm(forms.Form):
    prediction = forms.IntegerField(label="Theo em, bao nhiêu người trả lời đúng tất cả các câu?", min_value=0,
                                    max_value=10_000_000)


def local_now_input() -> str:
    return timezone.localtime().strftime(LOCAL_INPUT)
