import pytest

from cyberyouth.errors import DomainError, ScopeError
from cyberyouth.monitoring import selectors, services
from cyberyouth.monitoring.models import Decision, Item, ItemState, Outcome

pytestmark = pytest.mark.django_db


def test_demo_has_channels_items_and_a_queue(people):
    queue = selectors.queue(actor=people["kiemduyet"], limit=100)
    assert len(queue) >= 5
    # Worst first: the tiers never increase down the queue, and the top is self-harm or sexual.
    tiers = [i.severity for i in queue]
    assert tiers == sorted(tiers, reverse=True)
    assert queue[0].top_category in {"self_harm", "sexual"}
    assert Item.objects.filter(parent__isnull=False).exists()  # comments keep their post as context


def test_ingest_dedupes_by_external_id_url_and_content_hash(channel, people):
    entries = [
        {"external_id": "x-1", "url": "https://fb.example/p/1", "text": "Vào link nạp thẻ nhận quà, cá độ uy tín"},
        {"external_id": "x-2", "url": "https://fb.example/p/2", "text": "Hôm nay trời đẹp"},
    ]
    first = services.ingest(channel=channel, entries=entries, source="push")
    assert [r.duplicate for r in first] == [False, False]
    again = services.ingest(channel=channel, source="push", entries=[
        {"external_id": "x-1", "text": "khác hẳn"},                                    # same platform id
        {"url": "https://fb.example/p/2", "text": "cũng khác"},                       # same URL
        {"text": "  HÔM NAY   trời đẹp "},                                             # same text (case, spaces)
        {"external_id": "x-3", "text": "Bài mới hoàn toàn"},
        {"external_id": "x-3", "text": "Bài mới hoàn toàn"},                          # twice in one batch
    ])
    assert [r.duplicate for r in again] == [True, True, True, False, True]
    assert again[0].id == first[0].id and again[1].id == first[1].id and again[2].id == first[1].id
    assert again[4].id == again[3].id
    gambling = Item.objects.get(pk=first[0].id)
    # A lure to a link and a betting ad: both scam (tier 3) and gambling (tier 2); the higher tier leads.
    assert gambling.state == ItemState.OPEN and gambling.top_category in {"gambling", "scam"}
    assert gambling.scores["gambling"] >= 0.6
    assert Item.objects.get(pk=first[1].id).state == ItemState.BELOW
    import hashlib
    assert hashlib.sha256(gambling.raw.encode()).hexdigest() == gambling.raw_sha256


def test_bad_entry_rejects_the_whole_batch(channel):
    before = Item.objects.count()
    with pytest.raises(DomainError) as exc:
        services.ingest(channel=channel, source="push", entries=[{"text": "ổn"}, {"text": ""}])
    assert exc.value.field == "items[1].text"
    with pytest.raises(DomainError):
        services.ingest(channel=channel, source="push", entries=[{"text": "a", "published_at": "hôm qua"}])
    assert Item.objects.count() == before


def test_claim_locks_and_only_the_holder_decides(people, units):
    from cyberyouth.orgs.models import Role, RoleAssignment, User

    other = User.objects.create_user("kiemduyet2", password="x-Strong-Pass-1")
    RoleAssignment.objects.create(user=other, role=Role.MODERATOR, unit=units["hp-dk-cat-hai"])
    me = people["kiemduyet"]
    item = selectors.queue(actor=me, limit=1)[0]
    services.item_claim(actor=me, item_id=item.pk)
    with pytest.raises(DomainError) as exc:
        services.item_claim(actor=other, item_id=item.pk)
    assert exc.value.code == "claimed"
    with pytest.raises(DomainError) as exc:
        services.item_decide(actor=other, item_id=item.pk, outcome=Outcome.DISMISS, reason="không vi phạm gì")
    assert exc.value.code == "not_claimed"
    with pytest.raises(DomainError) as exc:
        services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.CONFIRM, reason="vi phạm rõ")
    assert exc.value.field == "category"
    with pytest.raises(DomainError) as exc:
        services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.DISMISS, reason="")
    assert exc.value.field == "reason"
    services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.CONFIRM, category="self_harm",
                         reason="Nguy cơ tự hại, cần hỗ trợ ngay")
    # Decided: nobody can claim or decide it again.
    with pytest.raises(DomainError):
        services.item_claim(actor=other, item_id=item.pk)
    with pytest.raises(DomainError):
        services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.DISMISS, reason="đổi ý sau khi xong")
    assert Decision.objects.filter(item=item).count() == 1


def test_expired_claim_can_be_taken_over(people, units):
    from datetime import timedelta

    from django.utils import timezone

    from cyberyouth.orgs.models import Role, RoleAssignment, User

    other = User.objects.create_user("kiemduyet3", password="x-Strong-Pass-1")
    RoleAssignment.objects.create(user=other, role=Role.MODERATOR, unit=units["hp-dk-cat-hai"])
    item = selectors.queue(actor=people["kiemduyet"], limit=1)[0]
    services.item_claim(actor=people["kiemduyet"], item_id=item.pk)
    Item.objects.filter(pk=item.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    services.item_claim(actor=other, item_id=item.pk)
    with pytest.raises(DomainError):  # the first moderator's claim lapsed: no decision lands
        services.item_decide(actor=people["kiemduyet"], item_id=item.pk, outcome="dismiss", reason="không vi phạm")


def test_escalate_keeps_item_open_and_actions_need_a_confirmation(people):
    me = people["kiemduyet"]
    item = selectors.queue(actor=me, limit=1)[0]
    services.item_claim(actor=me, item_id=item.pk)
    services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.ESCALATE, reason="Cần lãnh đạo xem")
    item.refresh_from_db()
    assert item.state == ItemState.OPEN and item.claimed_by is None
    assert next(i for i in selectors.queue(actor=me, limit=200) if i.pk == item.pk).escalated
    with pytest.raises(DomainError):
        services.action_create(actor=me, item_id=item.pk, kind="removal")
    handoff = services.action_create(actor=me, item_id=item.pk, kind="helpline")
    assert handoff.handoff_status == "taken" and "PHIẾU CHUYỂN" in handoff.body
    from cyberyouth.helpline.models import Case

    assert Case.objects.get(monitoring_action_id=handoff.pk).unit_id is not None  # arrived as a case
    services.item_claim(actor=me, item_id=item.pk)
    services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.CONFIRM, category=item.top_category,
                         reason="Xác nhận sau khi xin ý kiến")
    letter = services.action_create(actor=me, item_id=item.pk, kind="removal")
    assert "ĐỀ NGHỊ GỠ BỎ" in letter.body and item.raw_sha256 in letter.body
    referral = services.action_create(actor=me, item_id=item.pk, kind="referral", recipient="Công an đặc khu")
    assert len(referral.package_sha256) == 64


def test_operator_categories_and_thresholds(people):
    admin = people["thuongtruc"]
    services.category_save(actor=admin, code="tin-gia", name="Tin giả về nhà trường", severity=2)
    with pytest.raises(DomainError):
        services.category_save(actor=admin, code="tin-gia", name="x", severity=2, threshold=0.5)
    with pytest.raises(ScopeError):
        services.category_save(actor=people["kiemduyet"], code="khac", name="Khác", severity=1)
    services.category_save(actor=admin, code="offensive", name="Thô tục", severity=1, threshold=0.01)
    results = services.ingest(channel=None, unit=people["thuongtruc"].roles.first().unit, source="push",
                              entries=[{"text": "Chúc các em thi tốt"}])
    assert results[0].item.state == ItemState.OPEN  # everything is over a 1 % threshold


def test_the_capture_cannot_be_rewritten(channel):
    item = services.ingest(channel=channel, source="push", entries=[{"text": "bản gốc"}])[0].item
    item = Item.objects.get(pk=item.pk)
    item.text = "đã sửa"
    with pytest.raises(ValueError):
        item.save()
    item.text = "bản gốc"
    item.author = "được phép sửa trường khác"
    item.save()


def test_a_confirmation_names_every_category_the_text_is(people, client_for, tmp_path):
    """A threat to a classmate is harassment and violence: the moderator ticks both, the page
    shows both, the evidence and the labelled export carry both (partial: the rest not judged)."""
    import csv

    from django.core.management import call_command

    me = people["kiemduyet"]
    item = selectors.queue(actor=me, limit=1)[0]
    services.item_claim(actor=me, item_id=item.pk)
    for outcome, also, field in ((Outcome.DISMISS, ["violence"], "also"), (Outcome.CONFIRM, ["khong-co"], "also")):
        with pytest.raises(DomainError) as exc:
            services.item_decide(actor=me, item_id=item.pk, outcome=outcome, category="harassment", also=also,
                                 reason="thử lựa chọn sai")
        assert exc.value.field == field
    assert not Decision.objects.filter(item=item).exists()  # nothing half-written

    page = client_for("kiemduyet")
    url = f"/giam-sat/noi-dung/{item.pk}/"
    assert 'name="also"' in page.get(url).content.decode()
    response = page.post(url, {"decide": "1", "outcome": "confirm", "category": "harassment",
                               "also": ["violence", "harassment"], "reason": "Dọa đánh một bạn cùng lớp"})
    assert response.status_code == 302
    decision = Decision.objects.get(item=item)
    assert decision.category.code == "harassment" and decision.also == ["violence"]
    assert "Bắt nạt, quấy rối, Bạo lực" in page.get(url).content.decode()  # the decision's line

    from cyberyouth.monitoring import evidence

    assert evidence.item_record(item)["decisions"][0]["also"] == ["violence"]
    out = tmp_path / "decisions.csv"
    call_command("monitoring", "export-decisions", "--out", str(out), "--scheme", "category")
    row = next(r for r in csv.DictReader(out.open(encoding="utf-8")) if r["text"] == item.text)
    assert (row["labels"], row["partial"]) == ("harassment,violence", "1")


def test_the_engine_agrees_when_its_category_is_among_those_confirmed(people):
    me = people["kiemduyet"]
    item = next(i for i in selectors.queue(actor=me, limit=20) if i.top_category not in ("", "hate"))

    def same():
        rows = selectors.engine_precision(actor=me)
        return sum(r["same"] for r in rows if r["engine_category"] == item.top_category)

    before = same()
    services.item_claim(actor=me, item_id=item.pk)
    services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.CONFIRM, category="hate",
                         also=[item.top_category], reason="Kỳ thị và cả nhóm máy đã chấm")
    assert same() == before + 1


def test_statistics_count_a_case_once_and_its_further_categories_beside(people, client_for):
    """Confirmed cases by category: each case once under the decision's category (the rows add up
    to the cases confirmed), and beside it the categories the moderator said it also is."""
    me = people["kiemduyet"]

    def rows():
        stats = selectors.statistics_for(actor=people["thuongtruc"])
        return stats, {r["code"]: (r["n"], r["also"]) for r in stats["confirmed_by_category"]}

    stats, before = rows()
    item = selectors.queue(actor=me, limit=1)[0]
    services.item_claim(actor=me, item_id=item.pk)
    services.item_decide(actor=me, item_id=item.pk, outcome=Outcome.CONFIRM, category="harassment",
                         also=["violence", "personal_data"], reason="Dọa đánh, lộ địa chỉ nhà bạn")
    after_stats, after = rows()
    h, v, p = (before.get(c, (0, 0)) for c in ("harassment", "violence", "personal_data"))
    assert after["harassment"] == (h[0] + 1, h[1])
    assert after["violence"] == (v[0], v[1] + 1) and after["personal_data"] == (p[0], p[1] + 1)
    assert sum(n for n, _ in after.values()) == after_stats["confirmed"] == stats["confirmed"] + 1

    page = client_for("thuongtruc").get("/giam-sat/thong-ke/").content.decode()
    assert "Cũng thuộc nhóm" in page
