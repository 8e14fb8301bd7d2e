"""Community's participation ledger and the ties derived from it (no events code involved)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import ParticipationEntry, Tie
from community.selectors.participation import peers_met_count, ties_for
from community.services.participation import participation_record, participation_undo

pytestmark = pytest.mark.django_db

MONDAY = timezone.now().replace(microsecond=0) - timedelta(days=30)
FRIDAY = MONDAY + timedelta(days=4)


@pytest.fixture
def ana(make_user):
    return make_user(display_name="Ana")


@pytest.fixture
def ben(make_user):
    return make_user(display_name="Ben")


@pytest.fixture
def cal(make_user):
    return make_user(display_name="Cal")


def record(user, key, when, group=None):
    return participation_record(user=user, activity_key=key, group=group, category="social", occurred_at=when)


def tie_between(a, b):
    low, high = sorted([a.pk, b.pk])
    return Tie.objects.filter(user_low_id=low, user_high_id=high).first()


def snapshot():
    entries = sorted(ParticipationEntry.objects.values_list("user_id", "activity_key", "occurred_at"))
    ties = sorted(Tie.objects.values_list("user_low_id", "user_high_id", "first_met_at", "last_met_at", "times_met"))
    return entries, ties


def test_first_person_at_an_activity_has_no_ties(ana, group):
    entry = record(ana, "event:1", MONDAY, group)
    assert entry.group == group and entry.category == "social" and entry.occurred_at == MONDAY
    assert Tie.objects.count() == 0


def test_three_people_two_activities_ties_and_repeat_ties(ana, ben, cal):
    for person in (ana, ben, cal):
        record(person, "event:1", MONDAY)
    record(ana, "event:2", FRIDAY)
    record(ben, "event:2", FRIDAY)

    ana_ben = tie_between(ana, ben)
    assert (ana_ben.times_met, ana_ben.first_met_at, ana_ben.last_met_at) == (2, MONDAY, FRIDAY)
    assert ana_ben.user_low_id < ana_ben.user_high_id
    ana_cal = tie_between(ana, cal)
    assert (ana_cal.times_met, ana_cal.first_met_at, ana_cal.last_met_at) == (1, MONDAY, MONDAY)
    assert tie_between(ben, cal).times_met == 1
    assert Tie.objects.count() == 3

    ana_ties = ties_for(user=ana)
    assert [(tie.peer, tie.times_met, tie.is_repeat) for tie in ana_ties] == [(ben, 2, True), (cal, 1, False)]
    assert peers_met_count(user=ana) == 2
    assert peers_met_count(user=cal) == 2
    assert peers_met_count(user=ana, since=FRIDAY) == 1
    assert peers_met_count(user=cal, since=FRIDAY) == 0


def test_recording_twice_changes_nothing(ana, ben):
    record(ana, "event:1", MONDAY)
    first = record(ben, "event:1", MONDAY)
    before = snapshot()
    again = record(ben, "event:1", MONDAY)
    assert again.pk == first.pk
    assert snapshot() == before


def test_record_then_undo_leaves_everything_exactly_as_before(ana, ben, cal):
    for person in (ana, ben, cal):
        record(person, "event:1", MONDAY)
    record(ana, "event:2", FRIDAY)
    before = snapshot()

    record(ben, "event:2", FRIDAY)
    assert tie_between(ana, ben).times_met == 2
    assert participation_undo(user=ben, activity_key="event:2") is True
    assert snapshot() == before


def test_undo_recomputes_first_and_last_met_and_deletes_ties_that_drop_to_zero(ana, ben, cal):
    record(ana, "event:1", MONDAY)
    record(ben, "event:1", MONDAY)
    record(cal, "event:1", MONDAY)
    record(ana, "event:2", FRIDAY)
    record(ben, "event:2", FRIDAY)

    participation_undo(user=ana, activity_key="event:1")
    ana_ben = tie_between(ana, ben)
    assert (ana_ben.times_met, ana_ben.first_met_at, ana_ben.last_met_at) == (1, FRIDAY, FRIDAY)
    assert tie_between(ana, cal) is None
    assert tie_between(ben, cal).times_met == 1
    assert ties_for(user=cal)[0].peer == ben


def test_undo_of_nothing_is_false(ana):
    assert participation_undo(user=ana, activity_key="event:404") is False


def test_ties_for_someone_with_none(ana):
    assert ties_for(user=ana) == []
    assert peers_met_count(user=ana) == 0


def test_ties_for_is_one_query_however_many_ties(make_user, django_assert_max_num_queries):
    me = make_user()
    record(me, "event:1", MONDAY)
    for _ in range(12):
        record(make_user(), "event:1", MONDAY)
    with django_assert_max_num_queries(1):
        ties = ties_for(user=me)
        assert [tie.peer.display_name for tie in ties]
    assert len(ties) == 12
