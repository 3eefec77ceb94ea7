from django.conf import settings
from django.db import models


class CalendarDay(models.Model):
    """A day the government announced: a day off (extra Tết days, the second National Day day,
    a bridge day) or a swapped working day (a Saturday worked to make up a bridge). The Labour
    Code's fixed holidays are computed (`workdays.calendar`), not stored."""

    day = models.DateField("ngày", unique=True)
    working = models.BooleanField("ngày làm việc", default=False,
                                  help_text="Đánh dấu khi đây là ngày làm bù (đi làm vào ngày nghỉ).")
    name = models.CharField("tên / căn cứ", max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "ngày nghỉ / làm bù"
        verbose_name_plural = "ngày nghỉ / làm bù"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.name}"
