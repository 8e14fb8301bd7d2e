"""Each connection measure on the worked example of docs/metrics.md (tests/community/metrics_example.py)."""

from __future__ import annotations

from datetime import date

import pytest

from community.metrics.connections import (
    CategoryMonth,
    CohortRetention,
    MemberConnections,
    MonthlyActive,
    MonthlyTies,
    attendance_by_category_month,
    member_connections,
    monthly_active_members,
    network_density,
    network_density_change,
    new_ties_by_month,
    programme_connections,
    repeat_tie_share,
    retention_by_cohort,
)
from tests.community.metrics_example import example  # noqa: F401

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR, MAY = (date(2026, month, 1) for month in range(1, 6))
PERIOD = {"start": JAN, "end": MAY}


def connections(**values) -> MemberConnections:
    return MemberConnections(**values)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ana", connections(events_attended=3, peers_met=4, repeat_ties=1, new_ties=4, returned_within_30=True,
                            returned_within_60=True, groups_active=2)),
        ("Ben", connections(events_attended=3, peers_met=4, repeat_ties=2, new_ties=4, returned_within_30=True,
                            returned_within_60=True, groups_active=1)),
        ("Cal", connections(events_attended=2, peers_met=3, repeat_ties=0, new_ties=3, returned_within_30=False,
                            returned_within_60=True, groups_active=2)),
        ("Dee", connections(events_attended=2, peers_met=3, repeat_ties=1, new_ties=3, returned_within_30=False,
                            returned_within_60=True, groups_active=1)),
        ("Eli", connections(events_attended=3, peers_met=4, repeat_ties=0, new_ties=4, returned_within_30=True,
                            returned_within_60=True, groups_active=2)),
    ],
)  # fmt: skip
def test_each_members_connections_over_all_time(example, name, expected):  # noqa: F811
    assert member_connections(user=example[name]) == expected


def test_a_period_counts_only_its_events_and_a_tie_made_before_it_is_not_new(example):  # noqa: F811
    march = member_connections(user=example["Ben"], start=MAR, end=APR)
    assert march == connections(
        events_attended=1,
        peers_met=2,
        repeat_ties=0,
        new_ties=1,
        returned_within_30=None,
        returned_within_60=None,
        groups_active=1,
    )


def test_repeat_ties_in_a_period_need_both_meetings_inside_it(example):  # noqa: F811
    assert member_connections(user=example["Dee"], start=JAN, end=APR).repeat_ties == 1
    assert member_connections(user=example["Dee"], start=FEB, end=APR).repeat_ties == 0


def test_ana_from_february_met_only_eli_and_her_first_event_is_outside_the_period(example):  # noqa: F811
    result = member_connections(user=example["Ana"], start=FEB, end=MAY)
    assert (result.events_attended, result.peers_met, result.repeat_ties, result.new_ties) == (1, 1, 0, 1)
    assert result.returned_within_30 is None and result.groups_active == 1


def test_someone_who_has_never_been_to_an_event_has_no_connections(example):  # noqa: F811
    assert member_connections(user=example["Fin"]) == connections(
        events_attended=0,
        peers_met=0,
        repeat_ties=0,
        new_ties=0,
        returned_within_30=None,
        returned_within_60=None,
        groups_active=0,
    )


def test_member_connections_takes_two_queries(example, django_assert_num_queries):  # noqa: F811
    with django_assert_num_queries(2):
        member_connections(user=example["Ben"], start=JAN, end=MAY)


def test_monthly_active_members(example):  # noqa: F811
    assert monthly_active_members(**PERIOD) == [
        MonthlyActive(JAN, 4),
        MonthlyActive(FEB, 2),
        MonthlyActive(MAR, 3),
        MonthlyActive(APR, 2),
    ]


def test_attendance_by_category_and_month(example):  # noqa: F811
    assert attendance_by_category_month(**PERIOD) == [
        CategoryMonth(JAN, "social", attendances=6, members=4),
        CategoryMonth(FEB, "wellbeing", attendances=2, members=2),
        CategoryMonth(MAR, "social", attendances=3, members=3),
        CategoryMonth(APR, "learning", attendances=2, members=2),
    ]


def test_retention_by_cohort_of_first_attendance(example):  # noqa: F811
    assert retention_by_cohort(**PERIOD) == [
        CohortRetention(JAN, members=4, returned_within_30=2, returned_within_60=4, active_by_month=(4, 1, 2, 1)),
        CohortRetention(FEB, members=1, returned_within_30=1, returned_within_60=1, active_by_month=(1, 1, 1)),
    ]


def test_a_cohort_whose_window_is_still_open_at_the_end_has_no_return_figure(example):  # noqa: F811
    art = example.groups["art-group"]
    assert retention_by_cohort(**PERIOD, group=art) == [
        CohortRetention(FEB, members=2, returned_within_30=0, returned_within_60=0, active_by_month=(2, 0, 1)),
        CohortRetention(APR, members=1, returned_within_30=None, returned_within_60=None, active_by_month=(1,)),
    ]


def test_share_with_a_repeat_tie(example):  # noqa: F811
    result = repeat_tie_share(**PERIOD)
    assert (result.active_members, result.with_repeat_tie, result.share) == (5, 3, 0.6)


def test_network_density_and_its_change(example):  # noqa: F811
    whole = network_density(**PERIOD)
    assert (whole.active_members, whole.ties, whole.possible_pairs, whole.density) == (5, 9, 10, 0.9)
    change = network_density_change(before=(JAN, FEB), after=(MAR, MAY))
    assert (change.before.ties, change.before.possible_pairs) == (5, 6)
    assert (change.after.ties, change.after.possible_pairs) == (6, 6)
    assert change.change == pytest.approx(1 / 6)


def test_new_ties_by_month(example):  # noqa: F811
    assert new_ties_by_month(**PERIOD) == [
        MonthlyTies(JAN, 5),
        MonthlyTies(FEB, 1),
        MonthlyTies(MAR, 2),
        MonthlyTies(APR, 1),
    ]


def test_a_category_filter_narrows_attendance_and_activity(example):  # noqa: F811
    assert monthly_active_members(**PERIOD, category="social") == [
        MonthlyActive(JAN, 4),
        MonthlyActive(FEB, 0),
        MonthlyActive(MAR, 3),
        MonthlyActive(APR, 0),
    ]


def test_programme_connections_bundles_every_measure(example):  # noqa: F811
    result = programme_connections(**PERIOD)
    assert result.active_members == 5
    assert result.monthly_active == monthly_active_members(**PERIOD)
    assert result.cohorts == retention_by_cohort(**PERIOD)
    assert result.density.ties == 9 and result.repeat_ties.with_repeat_tie == 3


def test_a_period_must_end_after_it_starts(example):  # noqa: F811
    with pytest.raises(ValueError):
        monthly_active_members(start=MAR, end=MAR)
