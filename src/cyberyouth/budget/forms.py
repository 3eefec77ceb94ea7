from django import forms

from .models import GROUPS, Measure, Source
from .services import cell_key


class BudgetForm(forms.Form):
    """The 56 amounts of a unit's year (estimate and actual × source × task group) and a note.
    Amounts are text: the service reads them as Vietnamese write them ("1.250.000")."""

    note = forms.CharField(label="Thuyết minh (nội dung chi chủ yếu, nguồn tài trợ)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for m in Measure.values:
            for s in Source.values:
                for g in GROUPS:
                    label = f"{Measure(m).label}, nguồn {s}), nhóm {g}"
                    self.fields[cell_key(m, s, g)] = forms.CharField(
                        required=False, max_length=40, label=label,
                        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "amount",
                                                      "autocomplete": "off", "aria-label": label}))

    def amounts(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note"}

    def grid(self, measure: str, titles: dict[int, str]) -> list[dict]:
        return [{"group": g, "title": titles.get(g, ""),
                 "cells": [self[cell_key(measure, s, g)] for s in Source.values]} for g in GROUPS]


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx) theo mẫu")
    submit = forms.BooleanField(label="Gửi duyệt luôn các đơn vị trong tệp", required=False)
