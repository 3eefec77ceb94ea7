"""Demo: the wellbeing and online-safety survey, open now — the special zone's for grades 6–9 of
its schools (TH-THCS Hiền Hào's classes; its 9A has 4 students: a small group), and THPT Cát Bà's
own (a school under the city) — with answers from demo students who used one-time codes handed
out per class. The demo's student account `hs.thptcatba.10a` has not answered: try it. Free
answers include a name and a phone number, which were masked before they were stored."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cyberyouth.orgs.models import Unit

from . import selectors, services
from .models import QuestionKind, Survey

TEMPLATE = "wellbeing-online-safety"
WISHES = [
    "Em mong trường có thêm tiết học về an toàn trên mạng, nhất là cách nhận ra lừa đảo.",
    "Nên có buổi nói chuyện với chuyên gia về bắt nạt trên mạng.",
    "Em thấy các buổi sinh hoạt dưới cờ về mạng xã hội rất bổ ích, mong có thêm.",
    "Thầy cô hướng dẫn cách đặt mật khẩu và bảo mật hai lớp cho tài khoản.",
    "Em muốn có chỗ để báo khi bị bắt nạt mà không ai biết là em báo.",
    "Có thêm câu lạc bộ thể thao buổi chiều để bớt dùng điện thoại.",
    "Em không biết nói gì, mọi thứ đều ổn ạ.",
    "Trường nên nói cho bố mẹ biết về các trò chơi có hại.",
    "Em bị nhắn tin trêu chọc trong nhóm lớp, mong thầy cô để ý hơn.",
    "Mong có tiết học về cách kiểm tra tin giả trước khi chia sẻ.",
    "Bạn Nguyễn Văn Tuấn hay đăng ảnh chế các bạn khác, số của bạn ấy 0912 345 678.",
    "Em thấy vui khi học cách làm video an toàn, mong có cuộc thi như vậy.",
]
SHARES = ["Em thấy mình dùng điện thoại hơi nhiều, muốn giảm bớt.",
          "Cảm ơn thầy cô đã hỏi ý kiến của em.",
          "Đôi khi em buồn vì bị bạn bè nói xấu trên mạng.",
          "Em thích học tiếng Anh qua video trên mạng."]


def load(*, actor) -> None:
    if Survey.objects.filter(template=TEMPLATE, owner_unit__code="hp-dk-cat-hai").exists():
        return
    with transaction.atomic():
        _load(actor)


def _answers(rng: random.Random, questions) -> dict:
    raw: dict = {}
    for q in questions:
        if q.show_if_question_id and raw.get(str(q.show_if_question_id)) not in q.show_if_values:
            continue
        if q.kind == QuestionKind.SINGLE:
            weights = [6, 3, 2, 1, 1, 1][: len(q.options)]
            raw[str(q.pk)] = rng.choices(range(1, len(q.options) + 1), weights=weights)[0]
        elif q.kind == QuestionKind.MULTIPLE:
            raw[str(q.pk)] = sorted(rng.sample(range(1, len(q.options) + 1), rng.randint(1, 3)))
        elif q.kind == QuestionKind.SCALE:
            raw[str(q.pk)] = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 5, 3])[0]
        elif rng.random() < (0.7 if q.required or "mong" in q.text else 0.25):
            raw[str(q.pk)] = rng.choice(WISHES if "mong" in q.text else SHARES)
    return raw


def _load(actor) -> None:
    rng = random.Random(16)
    _survey(actor, rng, owner="hp-dk-cat-hai", grades=[6, 7, 8, 9])
    _survey(actor, rng, owner="thpt-cat-ba", grades=[10, 11, 12])


def _survey(actor, rng, *, owner: str, grades: list[int]) -> None:
    today = timezone.localdate()
    survey = services.survey_create(actor=actor, owner_unit=Unit.objects.get(code=owner), title="", template=TEMPLATE,
                                    opens_on=today - timedelta(days=6), closes_on=today + timedelta(days=21),
                                    allow_links=True)
    services.audience_set(actor=actor, survey=survey, units=[], grades=grades, classes=[])
    services.survey_launch(actor=actor, survey=survey)
    questions = selectors.questions_of(survey)
    for school_class in selectors.audience_classes(survey).order_by("unit__code", "name"):
        size = school_class.enrolments.filter(valid_to__isnull=True).count()
        taking = max(0, size - rng.randint(1, 3))
        for code in services.links_issue(actor=actor, survey=survey, school_class=school_class, count=max(1, taking)
                                         )[:taking]:
            services.answer_submit(survey=survey, answers=_answers(rng, questions), code=code)
