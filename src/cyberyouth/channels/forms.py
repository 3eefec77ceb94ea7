from django import forms

from cyberyouth.orgs.forms import DATE_WIDGET

from .models import ChannelStatus, Platform


class ChannelForm(forms.Form):
    platform = forms.ChoiceField(label="Nền tảng", choices=Platform.choices)
    name = forms.CharField(label="Tên kênh", max_length=300)
    address = forms.CharField(label="Địa chỉ (đường dẫn)", max_length=1000)
    active_since = forms.DateField(label="Hoạt động từ", widget=DATE_WIDGET, required=False)
    status = forms.ChoiceField(label="Trạng thái", choices=ChannelStatus.choices)
    closed_on = forms.DateField(label="Ngừng từ (nếu đã đóng)", widget=DATE_WIDGET, required=False)


class ChannelFilterForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", choices=[("", "Tất cả")] + list(ChannelStatus.choices),
                               required=False)
    platform = forms.ChoiceField(label="Nền tảng", choices=[("", "Tất cả")] + list(Platform.choices), required=False)
