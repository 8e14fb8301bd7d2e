"""Recording and deleting wellbeing check-ins: every answer optional, published scores, only your own."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from community.errors import Forbidden, InvalidInput, NotFound, RateLimited
from community.models import LonelinessDirect, WellbeingCheckIn
from community.services import wellbeing
from community.services.wellbeing import checkin_delete, checkin_record

pytestmark = pytest.mark.django_db

ALL_SWEMWBS = {f"swemwbs_{n}": 3 for n in range(1, 8)}


def test_a_full_check_in_stores_every_answer_and_the_published_scores(member):
    answers = {
        **ALL_SWEMWBS,
        "swemwbs_7": 4,
        "ons_life_satisfaction": 6,
        "ons_worthwhile": 7,
        "ons_happiness": 5,
        "ons_anxiety": 2,
        "ucla_companionship": 1,
        "ucla_left_out": 2,
        "ucla_isolated": 3,
        "lonely_direct": LonelinessDirect.SOME_OF_THE_TIME,
    }
    checkin = checkin_record(actor=member, answers=answers)
    checkin.refresh_from_db()
    assert checkin.user == member
    assert (checkin.swemwbs_raw, checkin.swemwbs_metric) == (22, Decimal("19.98"))
    assert checkin.ucla_total == 6
    assert (checkin.ons_anxiety, checkin.lonely_direct) == (2, "some_of_the_time")


def test_a_missing_swemwbs_item_keeps_the_other_answers_but_gives_no_score(member):
    checkin = checkin_record(actor=member, answers={**ALL_SWEMWBS, "swemwbs_4": None, "ucla_left_out": 2})
    assert checkin.swemwbs_1 == 3
    assert checkin.swemwbs_raw is None and checkin.swemwbs_metric is None
    assert checkin.ucla_total is None


def test_answers_from_a_form_arrive_as_text_and_skipped_ones_as_empty(member):
    checkin = checkin_record(actor=member, answers={"ons_happiness": "0", "ons_anxiety": "", "lonely_direct": ""})
    assert (checkin.ons_happiness, checkin.ons_anxiety, checkin.lonely_direct) == (0, None, "")


def test_a_check_in_with_no_answers_at_all_is_refused(member):
    with pytest.raises(InvalidInput) as refused:
        checkin_record(actor=member, answers={"swemwbs_1": "", "ons_happiness": None})
    assert refused.value.code == "empty_checkin"
    assert not WellbeingCheckIn.objects.exists()


@pytest.mark.parametrize(
    "answers",
    [{"swemwbs_1": 0}, {"swemwbs_1": 6}, {"ons_anxiety": 11}, {"ons_happiness": -1}, {"ucla_isolated": 4},
     {"ons_worthwhile": "seven"}, {"ons_worthwhile": 5.5}, {"swemwbs_2": True}, {"lonely_direct": "always"}],
)  # fmt: skip
def test_an_answer_outside_its_scale_is_refused_and_nothing_is_saved(member, answers):
    with pytest.raises(InvalidInput) as refused:
        checkin_record(actor=member, answers={**ALL_SWEMWBS, **answers})
    assert refused.value.code == "answer_out_of_range"
    assert set(refused.value.fields) == set(answers)
    assert not WellbeingCheckIn.objects.exists()


def test_a_key_that_is_not_a_question_is_refused(member):
    with pytest.raises(InvalidInput) as refused:
        checkin_record(actor=member, answers={"ons_happiness": 5, "swemwbs_raw": 35, "user": 1})
    assert refused.value.code == "unknown_question"
    assert set(refused.value.fields) == {"swemwbs_raw", "user"}


def test_evaluators_cannot_record_a_check_in(evaluator):
    with pytest.raises(Forbidden) as refused:
        checkin_record(actor=evaluator, answers={"ons_happiness": 5})
    assert refused.value.code == "wellbeing_members_only"


def test_staff_and_moderators_may_check_in_about_themselves(staff, moderator):
    assert checkin_record(actor=staff, answers={"ons_happiness": 5}).user == staff
    assert checkin_record(actor=moderator, answers={"ons_happiness": 5}).user == moderator


def test_more_than_a_few_check_ins_in_a_day_are_turned_away_kindly(member, monkeypatch):
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    for _ in range(wellbeing.CHECKINS_PER_DAY):
        checkin_record(actor=member, answers={"ons_happiness": 5})
    with pytest.raises(RateLimited):
        checkin_record(actor=member, answers={"ons_happiness": 5})
    monkeypatch.setattr(timezone, "now", lambda: start + timedelta(days=1, minutes=1))
    checkin_record(actor=member, answers={"ons_happiness": 6})
    assert WellbeingCheckIn.objects.filter(user=member).count() == wellbeing.CHECKINS_PER_DAY + 1


def test_a_member_deletes_their_own_check_in(member):
    checkin = checkin_record(actor=member, answers={"ons_happiness": 5})
    checkin_delete(actor=member, checkin_id=checkin.pk)
    assert not WellbeingCheckIn.objects.exists()


def test_nobody_can_delete_someone_elses_check_in(member, make_user, staff):
    checkin = checkin_record(actor=member, answers={"ons_happiness": 5})
    for other in (make_user(), staff):
        with pytest.raises(NotFound) as refused:
            checkin_delete(actor=other, checkin_id=checkin.pk)
        assert refused.value.code == "checkin_not_found"
    assert WellbeingCheckIn.objects.filter(pk=checkin.pk).exists()
