from django.db import migrations

# The starting calendar of days, frozen here (the administrator edits it afterwards).
DAYS = [
    ("Tết Nguyên Đán", "lunar", 1, 1, None, True),
    ("Ngày thành lập Đảng Cộng sản Việt Nam", "solar", 2, 3, 1930, True),
    ("Giỗ Tổ Hùng Vương", "lunar", 3, 10, None, True),
    ("Ngày Giải phóng miền Nam, thống nhất đất nước", "solar", 4, 30, 1975, True),
    ("Ngày Chiến thắng Điện Biên Phủ", "solar", 5, 7, 1954, True),
    ("Ngày sinh Chủ tịch Hồ Chí Minh", "solar", 5, 19, 1890, True),
    ("Ngày Cách mạng Tháng Tám thành công", "solar", 8, 19, 1945, True),
    ("Quốc khánh nước Cộng hòa xã hội chủ nghĩa Việt Nam", "solar", 9, 2, 1945, True),
    ("Ngày truyền thống học sinh, sinh viên", "solar", 1, 9, 1950, False),
    ("Ngày thành lập Đoàn TNCS Hồ Chí Minh", "solar", 3, 26, 1931, False),
    ("Ngày Giải phóng Hải Phòng", "solar", 5, 13, 1955, False),
    ("Ngày Thương binh – Liệt sĩ", "solar", 7, 27, 1947, False),
    ("Ngày thành lập Hội Liên hiệp Thanh niên Việt Nam", "solar", 10, 15, 1956, False),
    ("Ngày Nhà giáo Việt Nam", "solar", 11, 20, 1982, False),
    ("Ngày thành lập Quân đội nhân dân Việt Nam, Ngày hội Quốc phòng toàn dân", "solar", 12, 22, 1944, False),
    ("Ngày thành lập Đặc khu Cát Hải", "solar", 7, 1, 2025, False),
]


def load(apps, schema_editor):
    Day = apps.get_model("campaigns", "CommemorativeDay")
    for name, kind, month, day, origin, major in DAYS:
        Day.objects.get_or_create(name=name, unit=None, defaults={
            "kind": kind, "month": month, "day": day, "origin_year": origin, "major": major,
            "basis": "Nghị định 145/2013/NĐ-CP, Điều 4" if major else ""})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_calendar_campaigns_posts")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
