"""The special zone's online contest of the demo, loaded through the services: 66 questions on
Vietnamese history, Cát Hải and the Code of Conduct on social networks (written for the demo,
`data/demo-questions.txt`) imported as GIFT by the standing agency and approved by a second
person (three left waiting, one edited into a second version); a contest for THPT Cát Bà,
TH-THCS Hiền Hào and the GDNN-GDTX centre with targets; week 1 closed and ranked (attempts by
demo students, one far too fast, two accounts with the same wrong answers, certificates), week 2
open now, week 3 next week."""

import random
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cyberyouth.orgs.demo import DEMO_PASSWORD
from cyberyouth.orgs.models import Role, RoleAssignment, Unit, User

from . import bankfile, services
from .models import Answer, Attempt, Contest, Question, Round, Tag

DATA = Path(__file__).parent / "data" / "demo-questions.txt"
TITLE = "Tuổi trẻ Cát Hải tìm hiểu lịch sử dân tộc và văn hóa ứng xử trên không gian mạng"
SCHOOLS = ("thpt-cat-ba", "th-thcs-hien-hao", "gdnn-gdtx-cat-hai")
TARGETS = {"hp-dk-cat-hai": 120, "thpt-cat-ba": 40, "th-thcs-hien-hao": 20, "gdnn-gdtx-cat-hai": 60}
STUDENT_ACCOUNT = "hs.thptcatba.10a"


def read_data(path: Path = DATA) -> list[bankfile.ParsedQuestion]:
    """The demo's question file: a header line "topic | difficulty | kind", the question, "* right"
    and "- wrong" options, "? explanation", "@ source"; blocks separated by blank lines."""
    out = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.strip().split("\n") if ln and not ln.startswith("#")]
        if not lines:
            continue
        topic, difficulty, kind = (x.strip() for x in lines[0].split("|"))
        options, explanation, source = [], "", ""
        for ln in lines[2:]:
            mark, text = ln[0], ln[1:].strip()
            if mark in "*-":
                options.append((text, mark == "*"))
            elif mark == "?":
                explanation = text
            elif mark == "@":
                source = text
        if kind == "truefalse":
            right = options[0][0] == bankfile.TRUE_LABEL
            options = [(bankfile.TRUE_LABEL, right), (bankfile.FALSE_LABEL, not right)]
        out.append(bankfile.ParsedQuestion(kind=kind, text=lines[1].strip(), options=options, explanation=explanation,
                                           source=source, difficulty=int(difficulty), tags=[topic]))
    return out


def load(*, actor) -> None:
    if Contest.objects.filter(title=TITLE).exists():
        return
    with transaction.atomic():
        _load(actor)


def _students(rng):
    from cyberyouth.students.models import Student
    from cyberyouth.students.selectors import has_consent

    chosen = []
    for code in SCHOOLS:
        pool = [s for s in Student.objects.filter(unit__code=code, deidentified_at__isnull=True,
                                                  enrolments__valid_to__isnull=True,
                                                  enrolments__school_class__grade__gte=6).order_by("id")
                if has_consent(student=s)]
        chosen.extend(rng.sample(pool, min(len(pool), 14)))
    accounts = []
    for n, student in enumerate(chosen, start=1):
        if student.user_id is None:
            user = User.objects.filter(username=f"hs.thi.{n:03d}").first() or User(username=f"hs.thi.{n:03d}")
            user.full_name = student.full_name
            user.set_password(DEMO_PASSWORD)
            user.save()
            student.user = user
            student.save(update_fields=["user"])
            RoleAssignment.objects.get_or_create(user=user, role=Role.STUDENT, unit=student.unit,
                                                 defaults={"valid_from": timezone.localdate() - timedelta(days=60)})
        accounts.append(student)
    return accounts


def _take(student, rnd, rng, *, skill: float, submit=True):
    attempt = services.attempt_start(actor=student.user, rnd=rnd, rng=rng)
    for slot, entry in enumerate(attempt.layout):
        n = len(entry["o"])
        right = [i for i in range(n) if entry["c"] >> i & 1]
        if rng.random() < skill:
            choice = right
        else:
            choice = [rng.choice([i for i in range(n) if i not in right])]
        services.answer_save(actor=student.user, attempt_id=attempt.id, slot=slot, choice=choice)
    if submit:
        attempt = services.attempt_submit(actor=student.user, attempt_id=attempt.id,
                                          prediction=rng.choice([3, 5, 8, 10, 12, 15, 20, 30]))
    return attempt


def _load(actor) -> None:
    rng = random.Random(14)
    zone = Unit.objects.get(code="hp-dk-cat-hai")
    author = User.objects.get(username="thuongtruc")
    questions = read_data()
    versions = services.bank_import(actor=author, unit=zone, data=bankfile.write_gift(questions).encode(),
                                    name="ngan-hang-cau-hoi-mau.gift")
    for version in versions[:-3]:  # three wait for approval
        services.question_approve(actor=actor, version=version)
    edited = versions[0]
    services.question_edit(actor=author, question=edited.question, kind="single",
                           text="Chủ tịch Hồ Chí Minh đọc bản Tuyên ngôn Độc lập tại Quảng trường Ba Đình vào ngày nào?",
                           options=[(o["text"], o["correct"]) for o in edited.options],
                           explanation=edited.explanation, source=edited.source, difficulty=1,
                           tags=[t.name for t in edited.tags.all()])
    history = Tag.objects.get(unit=zone, name="Lịch sử Việt Nam")
    conduct = Tag.objects.get(unit=zone, name="Quy tắc ứng xử trên mạng xã hội")
    schools = list(Unit.objects.filter(code__in=SCHOOLS))
    contest = services.contest_create(
        actor=author, unit=zone, title=TITLE, audience=schools, grades=list(range(6, 13)), prizes=[1, 2, 3, 5],
        description="Mỗi tuần một vòng, 10 câu hỏi trong 10 phút, mỗi học sinh 2 lượt mỗi vòng (tính lượt tốt "
                    "nhất). Xếp hạng theo số câu đúng, rồi độ chênh của dự đoán số người trả lời đúng tất cả, rồi "
                    "thời gian làm bài, rồi thời điểm nộp bài.")
    for code, n in TARGETS.items():
        services.target_set(actor=author, contest=contest, unit=Unit.objects.get(code=code), participants=n)
    now = timezone.now()
    pools = [(history, None, 6), (conduct, None, 4)]
    week1 = services.round_create(actor=author, contest=contest, title="Tuần 1", topic="Lịch sử dân tộc",
                                  opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
                                  time_limit_seconds=600, attempts_allowed=2, pools=pools)
    students = _students(rng)
    me = next((s for s in students if s.user and s.user.username == STUDENT_ACCOUNT), None)
    if me is None:
        from cyberyouth.students.models import Student

        me = Student.objects.filter(user__username=STUDENT_ACCOUNT).first()
    takers = [s for s in students if s != me] + ([me] if me else [])
    taken = []
    for i, student in enumerate(takers):
        skill = 0.95 if i % 4 == 0 else rng.uniform(0.5, 0.9)
        taken.append(_take(student, week1, rng, skill=skill))
    # two accounts with the same wrong answers as a third; one attempt far too fast
    copier_source = taken[1]
    copiers = [s for s in students[-3:-1] if s != me]
    for student in copiers:
        other = services.attempt_start(actor=student.user, rnd=week1, rng=rng)
        Attempt.objects.filter(pk=other.pk).update(layout=copier_source.layout)
        other.refresh_from_db()
        for slot, entry in enumerate(other.layout):
            wrong = [i for i in range(len(entry["o"])) if not entry["c"] >> i & 1]
            services.answer_save(actor=student.user, attempt_id=other.id, slot=slot, choice=[wrong[0]])
        services.attempt_submit(actor=student.user, attempt_id=other.id, prediction=4)
    for attempt in Attempt.objects.filter(round=week1):
        took = timedelta(seconds=3 if attempt.student_id == taken[2].student_id else rng.randint(90, 540))
        Attempt.objects.filter(pk=attempt.pk).update(started_at=F("submitted_at") - took,
                                                     deadline=F("submitted_at") - took + timedelta(seconds=600),
                                                     duration_ms=int(took.total_seconds() * 1000))
    shift = timedelta(days=7)
    Attempt.objects.filter(round=week1).update(started_at=F("started_at") - shift, deadline=F("deadline") - shift,
                                               submitted_at=F("submitted_at") - shift)
    Answer.objects.filter(attempt__round=week1).update(answered_at=F("answered_at") - shift)
    Round.objects.filter(pk=week1.pk).update(opens_at=now - timedelta(days=8), closes_at=now - timedelta(days=1))
    week1.refresh_from_db()
    week1 = services.round_rank(rnd=week1, actor=actor)
    from .models import RoundResult

    for result in RoundResult.objects.filter(round=week1).order_by("rank")[:4]:
        services.certificate_issue(actor=result.student.user, rnd=week1)
    if me is not None and RoundResult.objects.filter(round=week1, student=me).exists():
        services.certificate_issue(actor=me.user, rnd=week1)
    week2 = services.round_create(actor=author, contest=contest, title="Tuần 2",
                                  topic="Quy tắc ứng xử trên mạng xã hội",
                                  opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=6),
                                  time_limit_seconds=600, attempts_allowed=2,
                                  pools=[(history, None, 5), (conduct, None, 5)])
    for i, student in enumerate(s for s in students if s != me):
        if i >= 18:
            break
        _take(student, week2, rng, skill=rng.uniform(0.6, 0.95), submit=i % 6 != 5)
    services.round_create(actor=author, contest=contest, title="Tuần 3", topic="Quê hương Cát Hải và lịch sử",
                          opens_at=now + timedelta(days=6), closes_at=now + timedelta(days=13),
                          time_limit_seconds=600, attempts_allowed=2, pools=pools)
    assert Question.objects.filter(unit=zone).count() >= 60
