"""Programme wellbeing figures on the worked example of docs/metrics.md, and the paired change's hand computation."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest

from community.metrics.stats import mean_with_interval, t_quantile_975
from community.metrics.wellbeing import (
    destination_shares,
    loneliness_figures,
    ons_band_distribution,
    ons_band_distributions,
    paired_swemwbs_change,
    paired_swemwbs_changes,
    programme_wellbeing,
)
from tests.community.metrics_example import example  # noqa: F401

pytestmark = pytest.mark.django_db

HAND_CHANGES = [Decimal(v) for v in ["2.14", "3.10", "0.00", "2.66", "3.96", "-1.62", "2.55", "4.37", "-0.92", "2.89"]]


def test_paired_changes_are_first_and_latest_scored_check_ins_at_least_eight_weeks_apart(example):  # noqa: F811
    # Cal's middle check-in is ignored, and Kai's two check-ins are only six weeks apart.
    assert sorted(paired_swemwbs_changes()) == sorted(HAND_CHANGES)


def test_paired_change_mean_interval_and_share_improving(example):  # noqa: F811
    result = paired_swemwbs_change()
    assert result.n == 10
    assert round(result.mean_change, 3) == 1.913
    assert (round(result.ci_low, 2), round(result.ci_high, 2)) == (0.45, 3.38)
    assert result.improved == 3 and result.share_improved == 0.3
    assert result.threshold == Decimal(3)


def test_the_meaningful_change_threshold_is_a_setting(example, settings):  # noqa: F811
    settings.HN_SWEMWBS_MEANINGFUL_CHANGE = 2
    assert paired_swemwbs_change().improved == 7


def test_a_period_that_cuts_the_pairs_short_leaves_nobody_paired(example):  # noqa: F811
    result = paired_swemwbs_change(start=date(2026, 1, 1), end=date(2026, 3, 1))
    assert (result.n, result.mean_change, result.ci_low, result.share_improved) == (0, None, None, None)


def test_hand_computed_interval():
    # The doc's hand computation: sd = sqrt(37.77341 / 9), se = sd / sqrt(10), t(0.975, 9) = 2.2622.
    interval = mean_with_interval([float(change) for change in HAND_CHANGES])
    sd = math.sqrt(37.77341 / 9)
    assert interval.sd == pytest.approx(sd, abs=1e-6)
    half = 2.2622 * sd / math.sqrt(10)
    assert interval.low == pytest.approx(1.913 - half, abs=1e-6)
    assert interval.high == pytest.approx(1.913 + half, abs=1e-6)


@pytest.mark.parametrize(
    ("df", "expected"), [(1, 12.7062), (9, 2.2622), (30, 2.0423), (31, 2.0395), (40, 2.0211), (100, 1.9840)]
)
def test_t_quantile_matches_published_tables(df, expected):
    assert t_quantile_975(df) == pytest.approx(expected, abs=2e-4)


def test_t_quantile_tends_to_the_normal_quantile():
    assert t_quantile_975(100_000) == pytest.approx(1.95996, abs=1e-4)
    with pytest.raises(ValueError):
        t_quantile_975(0)


def test_one_value_has_a_mean_but_no_interval():
    interval = mean_with_interval([2.5])
    assert (interval.n, interval.mean, interval.low, interval.high) == (1, 2.5, None, None)


def test_ons_life_satisfaction_bands_use_each_members_latest_answer(example):  # noqa: F811
    result = ons_band_distribution(question="life_satisfaction")
    assert result.counts == {"low": 3, "medium": 2, "high": 3, "very high": 2}
    assert result.total == 10


def test_ons_anxiety_bands_run_the_other_way(example):  # noqa: F811
    result = ons_band_distribution(question="anxiety")
    assert result.counts == {"very low": 2, "low": 3, "medium": 3, "high": 2}


def test_an_unanswered_question_falls_back_to_the_members_previous_answer(example):  # noqa: F811
    # Gus skipped happiness in April, so his January answer (4, low) counts.
    result = ons_band_distribution(question="happiness")
    assert result.counts == {"low": 2, "medium": 1, "high": 3, "very high": 1}


def test_all_four_ons_questions_in_order(example):  # noqa: F811
    assert [d.question for d in ons_band_distributions()] == ["life_satisfaction", "worthwhile", "happiness", "anxiety"]


def test_loneliness_distribution_mean_and_direct_question(example):  # noqa: F811
    result = loneliness_figures()
    assert result.ucla_counts == {3: 2, 4: 2, 5: 2, 6: 1, 7: 1, 8: 0, 9: 1}
    assert result.ucla_n == 9 and result.ucla_mean == pytest.approx(46 / 9)
    assert result.direct_counts == {
        "often_always": 3,
        "some_of_the_time": 1,
        "occasionally": 1,
        "hardly_ever": 2,
        "never": 2,
    }
    assert result.share_often_always == pytest.approx(1 / 3)


def test_destinations_from_each_members_newest_activity(example):  # noqa: F811
    result = destination_shares()
    assert result.counts == {"EET": 5, "NEET": 3, "UNKNOWN": 3}
    assert result.share("EET") == pytest.approx(5 / 11)


def test_destinations_at_the_end_of_an_earlier_period_use_the_status_then(example):  # noqa: F811
    # On 1 February Ana's newest status was still F1 (full-time higher education).
    assert destination_shares(end=date(2026, 2, 1)).counts == {"EET": 6, "NEET": 2, "UNKNOWN": 3}


def test_a_group_filter_counts_only_members_at_its_events(example):  # noqa: F811
    art = example.groups["art-group"]
    scope = {"start": date(2026, 1, 1), "end": date(2026, 5, 1), "group": art}
    assert destination_shares(**scope).counts == {"EET": 1, "NEET": 1, "UNKNOWN": 1}  # Cal, Ana, Eli
    assert paired_swemwbs_change(**scope).n == 3


def test_programme_wellbeing_takes_a_fixed_number_of_queries(example, django_assert_max_num_queries):  # noqa: F811
    with django_assert_max_num_queries(8):
        figures = programme_wellbeing()
    assert figures.paired.n == 10 and figures.destinations.total == 11
