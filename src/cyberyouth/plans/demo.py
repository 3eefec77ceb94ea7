"""Demo plan (from the seed's data file) and a realistic spread of progress for 2023–2025."""

import json
import random
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import Assignment, AssignmentRole, Evidence, Plan, Progress, ProgressStatus

DATA_FILE = Path(__file__).parent / "data" / "plan-cat-hai-2023.json"

SUMMARIES = {
    1: "Tổ chức {n} buổi tuyên truyền về an toàn thông tin và Quy tắc ứng xử trên mạng xã hội cho học sinh.",
    2: "Rà soát {n} kênh thông tin; phối hợp Công an đặc khu nhắc nhở gỡ bỏ nội dung xấu ảnh hưởng đến học sinh.",
    3: "Đăng tải {n} tin tốt, câu chuyện đẹp trên trang Facebook và website của đơn vị.",
    4: "Duy trì trang thông tin điện tử và fanpage; cài đặt ứng dụng Thanh niên Việt Nam cho {n} đoàn viên.",
    5: "Xây dựng {n} sản phẩm đồ họa thông tin, video clip tuyên truyền lịch sử địa phương.",
    6: "Tổ chức {n} cuộc thi trực tuyến và 01 buổi đối thoại trực tiếp, 01 buổi trực tuyến giữa lãnh đạo và học sinh.",
    7: "Cử {n} cán bộ, giáo viên tham gia bồi dưỡng kỹ năng truyền thông trên không gian mạng.",
}


@transaction.atomic
def load(*, actor) -> None:
    from . import services

    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    existed = Plan.objects.filter(title=data["plan"]["title"]).exists()
    plan = services.plan_load(actor=actor, data=data)
    if existed or Progress.objects.exists():
        return
    rng = random.Random(311)
    assignments = list(
        Assignment.objects.filter(task__group__plan=plan, role=AssignmentRole.IMPLEMENT).select_related("task__group", "unit")
    )
    for year in (2023, 2024, 2025):
        for a in assignments:
            roll = rng.random()
            if roll < 0.25 - 0.05 * (year - 2023):
                continue  # not reported
            if roll < 0.55:
                status = ProgressStatus.DONE
            elif roll < 0.85:
                status = ProgressStatus.IN_PROGRESS
            elif roll < 0.95:
                status = ProgressStatus.NOT_STARTED
            else:
                status = ProgressStatus.NOT_APPLICABLE
            summary = SUMMARIES[a.task.group.number].format(n=rng.randint(2, 12)) if status in (
                ProgressStatus.DONE, ProgressStatus.IN_PROGRESS) else ""
            progress = Progress.objects.create(
                assignment=a, year=year, status=status, summary=summary,
                started_on=date(year, rng.randint(1, 4), rng.randint(1, 28)) if summary else None,
                completed_on=date(year, rng.randint(9, 12), rng.randint(1, 28)) if status == ProgressStatus.DONE else None,
                updated_by=actor,
            )
            if status == ProgressStatus.DONE and rng.random() < 0.5:
                Evidence.objects.create(
                    progress=progress, title=f"Bài đăng kết quả năm {year}",
                    url=f"https://example.edu.vn/{a.unit.code}/{year}/{a.task.code}", uploaded_by=actor,
                )
