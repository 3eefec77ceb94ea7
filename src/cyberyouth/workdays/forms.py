from django import forms


class DayForm(forms.Form):
    day = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}))
    working = forms.TypedChoiceField(label="Loại", coerce=lambda v: v == "1", choices=[
        ("0", "Ngày nghỉ (theo thông báo của Chính phủ)"), ("1", "Ngày làm bù (đi làm vào ngày nghỉ)")])
    name = forms.CharField(label="Tên / căn cứ", max_length=200)
