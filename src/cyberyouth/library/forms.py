from django import forms

from .models import Audience, Kind, Licence, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductForm(forms.Form):
    unit = forms.ChoiceField(label="Đơn vị thực hiện")
    title = forms.CharField(label="Tên sản phẩm", max_length=300)
    kind = forms.ChoiceField(label="Loại sản phẩm", choices=Kind.choices)
    topic = forms.ChoiceField(label="Chủ đề", choices=Topic.choices)
    audience = forms.ChoiceField(label="Đối tượng", choices=Audience.choices, initial=Audience.STUDENTS)
    author = forms.CharField(label="Tác giả (cá nhân, tập thể)", max_length=300,
                             help_text="Ghi tên học sinh chỉ khi học sinh và cha mẹ đã đồng ý nêu tên công khai; "
                                       "nếu không, ghi tên lớp, câu lạc bộ hoặc nhà trường.")
    licence = forms.ChoiceField(label="Giấy phép sử dụng", choices=Licence.choices, initial=Licence.CC_BY_NC,
                                help_text="Creative Commons cho phép người khác dùng lại theo điều kiện ghi trong giấy phép.")
    licence_other = forms.CharField(label="Giấy phép khác (khi chọn “Khác”)", max_length=300, required=False)
    made_on = forms.DateField(label="Ngày hoàn thành", widget=DATE, error_messages={"invalid": "Ngày không hợp lệ."})
    description = forms.CharField(label="Giới thiệu ngắn", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="Tệp sản phẩm (ảnh PNG/JPG/GIF/WebP, video MP4/WebM, PDF, EPUB, mô hình GLB)",
                           required=False)
    link = forms.CharField(label="Hoặc liên kết (YouTube, trang web, tour VR…)", max_length=500, required=False,
                           widget=forms.URLInput(attrs={"placeholder": "https://"}))
    submit = forms.BooleanField(label="Gửi duyệt ngay", required=False, initial=True)

    def __init__(self, *args, units=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
            self.fields["file"].label = "Thay tệp sản phẩm (để trống nếu giữ tệp cũ)"
        else:
            self.fields["unit"].choices = [(u.code, u.name) for u in units]


class CommentForm(forms.Form):
    comment = forms.CharField(label="Ý kiến, lý do", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
