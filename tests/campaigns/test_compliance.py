"""Compliance: days with a tin tốt, Mon–Sun weeks with a câu chuyện đẹp on Viet Nam's dates, at
month and year edges; streaks; peak weeks; drill-down across the 2025 reorganisation; scope."""

from datetime import date, datetime

import pytest

from cyberyouth.campaigns import selectors, services
from cyberyouth.campaigns.models import CommemorativeDay, PostKind

GOOD, STORY = PostKind.GOOD_NEWS, PostKind.STORY


def _row(unit, **kwargs):
    rows = selectors.compliance_of(unit_ids={unit.id}, **kwargs)
    assert len(rows) == 1
    return rows[0]


def test_a_week_across_new_year_belongs_to_the_month_of_its_thursday(db, units, channel_of, post_on):
    school = units["thcs-cat-ba"]
    channel = channel_of(school)
    post_on(channel, datetime(2025, 12, 30, 10, 0), STORY)  # Tuesday of the week Mon 29/12 – Sun 4/1 (Thu 1/1/2026)
    january = _row(school, year=2026, month=1, today=date(2026, 2, 2))
    assert january.weeks_expected == 5 and january.story_weeks == 1
    december = _row(school, year=2025, month=12, today=date(2026, 2, 2))
    assert december.weeks_expected == 4 and december.story_weeks == 0
    # two stories in one week are one week
    post_on(channel, datetime(2026, 1, 3, 10, 0), STORY)
    assert _row(school, year=2026, month=1, today=date(2026, 2, 2)).story_weeks == 1


def test_good_news_days_at_a_month_edge_follow_vietnamese_midnight(db, units, channel_of, post_on):
    school = units["thcs-cat-ba"]
    channel = channel_of(school)
    post_on(channel, datetime(2026, 1, 31, 23, 30), GOOD)   # 16:30 UTC on 31/1
    post_on(channel, datetime(2026, 2, 1, 0, 10), GOOD)     # 17:10 UTC on 31/1, but 1/2 in Viet Nam
    post_on(channel, datetime(2026, 2, 1, 9, 0), GOOD)      # a second one the same day counts once
    post_on(channel, datetime(2026, 2, 2, 9, 0), PostKind.NEITHER)
    assert _row(school, year=2026, month=1, today=date(2026, 3, 1)).good_days == 1
    feb = _row(school, year=2026, month=2, today=date(2026, 3, 1))
    assert (feb.good_days, feb.days_expected, feb.posts) == (1, 28, 3)


def test_only_the_days_already_begun_are_owed(db, units, channel_of, post_on):
    school = units["thcs-cat-ba"]
    channel_of(school)
    row = _row(school, year=2026, month=1, today=date(2026, 1, 15))
    assert row.days_expected == 14 and row.weeks_expected == 2  # the weeks of Thu 1/1 and Thu 8/1 are over
    assert _row(school, year=2026, month=3, today=date(2026, 1, 15)).days_expected == 0


def test_today_and_this_week_count_once_done(db, units, channel_of, post_on):
    school = units["thcs-cat-ba"]
    channel = channel_of(school)
    post_on(channel, datetime(2026, 1, 15, 7, 0), GOOD)
    post_on(channel, datetime(2026, 1, 14, 7, 0), STORY)  # in the week of Mon 12/1, not over yet
    row = _row(school, year=2026, month=1, today=date(2026, 1, 15))
    assert (row.good_days, row.days_expected) == (1, 15)
    assert (row.story_weeks, row.weeks_expected) == (1, 3)
    assert row.day_rate <= 1 and row.week_rate <= 1


def test_streaks(db, units, channel_of, post_on):
    school = units["thcs-cat-ba"]
    channel = channel_of(school)
    for d in (10, 11, 12, 14):
        post_on(channel, datetime(2026, 1, d, 8, 0), GOOD)
    row = _row(school, year=2026, today=date(2026, 1, 15))
    assert (row.longest_streak, row.current_streak) == (3, 1)  # today is not over: the run of the 14th goes on
    assert _row(school, year=2026, today=date(2026, 1, 16)).current_streak == 0
    assert selectors.streaks([], until=date(2026, 1, 1)) == (0, 0)


def test_ranking_and_heat_map(db, units, channel_of, post_on):
    a, b = units["thcs-cat-ba"], units["thcs-cat-hai"]
    ca, cb = channel_of(a), channel_of(b)
    for d in range(1, 11):
        post_on(ca, datetime(2026, 1, d, 8, 0), GOOD)
    post_on(cb, datetime(2026, 1, 5, 8, 0), GOOD)
    rows = selectors.compliance_of(unit_ids={a.id, b.id}, year=2026, month=1, today=date(2026, 1, 31))
    assert [r.unit.id for r in rows] == [a.id, b.id] and rows[0].unit.code == a.code
    heat = selectors.heat_map(row=rows[0], year=2026)
    cells = [c for week in heat for c in week if c]
    assert len(cells) == 365 and sum(v for _, v in cells) == 10
    assert heat[0][0] is None  # Monday 29/12/2025 is outside the year


def test_a_peak_week_from_a_day_in_one_click_and_who_posted_in_unison(db, people, units, channel_of, post_on):
    a, b = units["thcs-cat-ba"], units["thcs-cat-hai"]
    ca, _ = channel_of(a), channel_of(b)
    day = CommemorativeDay.objects.get(name="Ngày sinh Chủ tịch Hồ Chí Minh")
    campaign = services.campaign_from_day(actor=people["doan"], day_id=day.id, year=2026,
                                          owner_unit=units["hp-dk-cat-hai"])
    assert (campaign.start, campaign.end, campaign.peak_week) == (date(2026, 5, 18), date(2026, 5, 24), True)
    assert "136 năm" in campaign.title
    before, expected, silent = selectors.peak_week_participation(campaign=campaign)
    assert a in silent and b in silent
    post_on(ca, datetime(2026, 5, 19, 7, 0), GOOD)
    post_on(ca, datetime(2026, 5, 25, 7, 0), GOOD)  # the Monday after: outside
    after, expected_again, silent = selectors.peak_week_participation(campaign=campaign)
    assert after == before + 1 and expected_again == expected and a not in silent and b in silent


def test_a_school_cannot_launch_a_campaign(db, people, units):
    day = CommemorativeDay.objects.get(name="Ngày sinh Chủ tịch Hồ Chí Minh")
    from cyberyouth.errors import ScopeError

    with pytest.raises(ScopeError):
        services.campaign_from_day(actor=people["daumoi.thcscatba"], day_id=day.id, year=2026,
                                   owner_unit=units["thcs-cat-ba"])


def test_a_ceased_communes_posts_count_for_the_special_zone_that_carries_it_on(db, people, units, channel_of, post_on):
    commune = units["hp-cat-hai-xa-dong-bai"]
    assert commune.valid_to is not None
    post_on(channel_of(commune), datetime(2025, 3, 3, 8, 0), GOOD)
    zone = units["hp-dk-cat-hai"]
    rows = selectors.compliance(actor=people["thuongtruc"], year=2025, unit=zone)
    assert commune.id in [r.unit.id for r in rows]
    assert sum(r.good_days for r in rows if r.unit.id == commune.id) == 1
    children = selectors.drill_down(actor=people["thuongtruc"], unit=zone, year=2025)
    assert sum(s.good_days for _, s in children) >= 1


def test_pages_stay_within_the_school(db, people, units, channel_of, post_on, client_for):
    post_on(channel_of(units["thcs-cat-ba"]), datetime(2026, 1, 5, 8, 0), GOOD)
    channel_of(units["thcs-cat-hai"])
    school = client_for("daumoi.thcscatba")
    page = school.get("/chien-dich/?nam=2026").text
    assert units["thcs-cat-ba"].name in page and units["thcs-cat-hai"].name not in page
    assert school.get("/chien-dich/don-vi/thcs-cat-hai/?nam=2026").status_code == 404
    assert school.get("/chien-dich/don-vi/thcs-cat-ba/?nam=2026").status_code == 200
    agency = client_for("thuongtruc").get("/chien-dich/?nam=2026&don-vi=hp-dk-cat-hai").text
    assert units["thcs-cat-ba"].name in agency and units["thcs-cat-hai"].name in agency
    assert client_for("thuongtruc").get("/chien-dich/?nam=1999").status_code == 400


def test_reminders_go_to_units_with_gaps_once_a_week(db, people, units, channel_of, post_on):
    from cyberyouth.campaigns.reminders import remind_gaps
    from cyberyouth.errors import DomainError, ScopeError
    from cyberyouth.notifications.models import Notification

    full, gappy = units["thcs-cat-ba"], units["thcs-cat-hai"]
    cf, cg = channel_of(full), channel_of(gappy)
    for d in range(5, 12):  # Mon 5/1 – Sun 11/1/2026: every day a tin tốt and one story
        post_on(cf, datetime(2026, 1, d, 8, 0), GOOD)
    post_on(cf, datetime(2026, 1, 7, 9, 0), STORY)
    post_on(cg, datetime(2026, 1, 6, 8, 0), GOOD)
    with pytest.raises(ScopeError):
        remind_gaps(actor=people["daumoi.thcscatba"], today=date(2026, 1, 14))
    sent = remind_gaps(actor=people["thuongtruc"], today=date(2026, 1, 14))
    reminded = {r.unit for r in sent}
    assert gappy in reminded and full not in reminded
    notice = Notification.objects.get(recipient=people["daumoi.thcscathai"], kind="reminder")
    assert "6/7 ngày chưa có tin tốt" in notice.body and "chưa có câu chuyện đẹp" in notice.body
    assert not Notification.objects.filter(recipient=people["daumoi.thcscatba"], kind="reminder").exists()
    with pytest.raises(DomainError):  # the same week again: nobody left
        remind_gaps(actor=people["thuongtruc"], today=date(2026, 1, 15))


def test_task_group_3_figures_equal_the_dashboard(db, people, units, client_for):
    import re

    from cyberyouth.campaigns.models import Campaign

    zone = units["hp-dk-cat-hai"]
    year = Campaign.objects.get(peak_week=True, day__name="Ngày sinh Chủ tịch Hồ Chí Minh").start.year  # the demo's
    figures = selectors.task_group_3(actor=people["thuongtruc"], unit=zone, year=year)
    page = client_for("thuongtruc").get(f"/chien-dich/?nam={year}&don-vi=hp-dk-cat-hai").text
    shown = re.search(r"(\d+) đơn vị có kênh chính thức · (\d+) bài đăng · ngày có tin tốt: (\d+)/(\d+)", page)
    s = figures.summary
    assert shown and tuple(map(int, shown.groups())) == (s.units, s.posts, s.good_days, s.days_expected)
    assert s.posts > 0 and figures.channels >= s.units  # the demo's posts
    assert any(c.day and c.day.name == "Ngày sinh Chủ tịch Hồ Chí Minh" for c, _, _ in figures.peak_weeks)
