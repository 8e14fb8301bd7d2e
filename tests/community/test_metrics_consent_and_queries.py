"""Only consenting members count, and the programme figures take a fixed number of queries however many people."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest

from community.metrics.connections import new_ties_by_month, programme_connections
from community.metrics.wellbeing import programme_wellbeing
from community.models import ActivityStatus, EvaluationConsent
from tests.community.metrics_example import (
    EVENTS,
    at,
    attend,
    check_in,
    example,  # noqa: F401
    make_person,
)

pytestmark = pytest.mark.django_db

PERIOD = {"start": date(2026, 1, 1), "end": date(2026, 5, 1)}


def everything(**scope):
    connections = programme_connections(**PERIOD, **scope)
    wellbeing = programme_wellbeing(**PERIOD, **scope)
    return (
        asdict(connections),
        connections.repeat_ties.share,
        connections.density.density,
        new_ties_by_month(**PERIOD),
        asdict(wellbeing),
        wellbeing.loneliness.ucla_mean,
        wellbeing.loneliness.share_often_always,
    )


def add_fay(example, *, consents: bool | None):  # noqa: F811
    """Fay goes to three events, checks in twice (13 weeks apart) and records an activity."""
    fay = make_person("Fay", consents=False)
    if consents is not None:
        EvaluationConsent.objects.create(user=fay, consents=consents, recorded_at=at("2025-12-01"))
    for key in ("event:1", "event:3", "event:4"):
        attend(fay, key, groups=example.groups)
    check_in(fay, "2026-01-05 10:00", raw=10, ons=(1, 1, 1, 9), ucla=(3, 3, 3), direct="often_always")
    check_in(fay, "2026-04-06 10:00", raw=30, ons=(9, 9, 9, 0), ucla=(1, 1, 1), direct="never")
    ActivityStatus.objects.create(user=fay, code="F1", recorded_at=at("2026-02-01"))
    return fay


@pytest.mark.parametrize("answer", ["said no", "never answered"])
def test_a_member_who_does_not_consent_changes_no_aggregate(example, answer):  # noqa: F811
    art = example.groups["art-group"]
    before = [everything(), everything(group=art), everything(category="social")]
    add_fay(example, consents=None if answer == "never answered" else False)
    assert [everything(), everything(group=art), everything(category="social")] == before


def test_a_member_who_withdraws_consent_stops_counting(example):  # noqa: F811
    EvaluationConsent.objects.create(user=example["Eli"], consents=False, recorded_at=at("2026-05-02"))
    figures = programme_connections(**PERIOD)
    assert figures.active_members == 4
    assert [month.members for month in figures.monthly_active] == [4, 1, 2, 1]
    assert programme_wellbeing(**PERIOD).paired.n == 9


def test_consent_given_after_an_earlier_no_counts(example):  # noqa: F811
    fay = add_fay(example, consents=False)
    EvaluationConsent.objects.create(user=fay, consents=True, recorded_at=at("2026-05-02"))
    assert programme_connections(**PERIOD).active_members == 6


def grow_community(example, extra: int):  # noqa: F811
    for n in range(extra):
        person = make_person(f"Extra{n}")
        for key in list(EVENTS)[n % 3 :: 2]:
            attend(person, key, groups=example.groups)
        check_in(person, "2026-01-05 10:00", raw=20, ons=(5, 5, 5, 5), ucla=(2, 2, 2), direct="never")
        check_in(person, "2026-04-06 10:00", raw=25, ons=(7, 7, 7, 2), ucla=(1, 1, 1), direct="hardly_ever")
        ActivityStatus.objects.create(user=person, code="F5", recorded_at=at("2026-02-01"))


def count_queries(django_assert_max_num_queries, **scope) -> tuple[int, int]:
    with django_assert_max_num_queries(8) as connections_queries:
        programme_connections(**PERIOD, **scope)
    with django_assert_max_num_queries(8) as wellbeing_queries:
        programme_wellbeing(**PERIOD, **scope)
    return len(connections_queries.captured_queries), len(wellbeing_queries.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_members(example, django_assert_max_num_queries):  # noqa: F811
    art = example.groups["art-group"]
    small = count_queries(django_assert_max_num_queries), count_queries(django_assert_max_num_queries, group=art)
    grow_community(example, 30)
    large = count_queries(django_assert_max_num_queries), count_queries(django_assert_max_num_queries, group=art)
    assert large == small
    assert programme_connections(**PERIOD).active_members == 35


def test_staff_and_moderators_never_count_in_programme_figures_even_if_they_say_yes(make_user):
    from community.models import EvaluationConsent, SiteRole
    from community.selectors.consent import consenting_users

    member = make_user(display_name="Ash")
    staff = make_user(display_name="Sky", role=SiteRole.STAFF)
    moderator = make_user(display_name="Mo", role=SiteRole.MODERATOR)
    for person in (member, staff, moderator):
        EvaluationConsent.objects.create(user=person, consents=True)

    assert list(consenting_users().values_list("pk", flat=True)) == [member.pk]
