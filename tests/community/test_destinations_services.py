"""My positive destination: areas, goals with small steps and progress, and what I'm doing now. Own data only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from community import reference
from community.errors import Conflict, Forbidden, InvalidInput, NotFound
from community.models import ActivityStatus, DestinationArea, Goal, GoalStep, SiteRole
from community.services import destinations as svc


def test_choosing_areas_replaces_the_choice_and_says_whether_anything_changed(member):
    first = svc.destination_areas_set(actor=member, areas=["job", "happy"])
    assert first.areas == ["job", "happy"]  # published order
    assert first.changed
    again = svc.destination_areas_set(actor=member, areas=["happy", "job", "job"])
    assert not again.changed
    svc.destination_areas_set(actor=member, areas=["healthy"])
    assert set(DestinationArea.objects.filter(user=member).values_list("area", flat=True)) == {"healthy"}
    assert svc.destination_areas_set(actor=member, areas=[]).areas == []


def test_an_unknown_area_is_refused_with_a_stable_code_and_nothing_changes(member):
    svc.destination_areas_set(actor=member, areas=["job"])
    with pytest.raises(InvalidInput) as caught:
        svc.destination_areas_set(actor=member, areas=["healthy", "astronaut"])
    assert caught.value.code == "unknown_area"
    assert list(DestinationArea.objects.filter(user=member).values_list("area", flat=True)) == ["job"]


def test_the_area_choices_are_the_eight_published_areas():
    assert svc.area_choices() == reference.positive_destinations()
    assert len(svc.area_choices()) == 8


def test_adding_a_goal_in_a_new_area_chooses_that_area_too(member):
    goal = svc.goal_add(actor=member, area="learning", title="  Finish my   level 2 course ")
    assert goal.title == "Finish my level 2 course"
    assert goal.progress == 0
    assert DestinationArea.objects.filter(user=member, area="learning").exists()


@pytest.mark.parametrize(
    ("title", "code"),
    [("", "title_required"), ("   ", "title_required"), ("x" * 201, "title_too_long"), (5, "title_required")],
)
def test_goal_words_must_be_there_and_not_too_long(member, title, code):
    with pytest.raises(InvalidInput) as caught:
        svc.goal_add(actor=member, area="job", title=title)
    assert caught.value.code == code
    assert not Goal.objects.exists()


def test_goal_progress_and_words_change_and_progress_stays_in_range(member):
    goal = svc.goal_add(actor=member, area="job", title="Get a Saturday job")
    svc.goal_update(actor=member, goal_id=goal.pk, progress=40)
    svc.goal_update(actor=member, goal_id=goal.pk, title="Get a weekend job")
    goal.refresh_from_db()
    assert (goal.title, goal.progress) == ("Get a weekend job", 40)
    for bad in (-1, 101, "lots", True):
        with pytest.raises(InvalidInput) as caught:
            svc.goal_update(actor=member, goal_id=goal.pk, progress=bad)
        assert caught.value.code == "progress_out_of_range"
    goal.refresh_from_db()
    assert goal.progress == 40


def test_achieving_and_reopening_a_goal_is_idempotent(member):
    goal = svc.goal_add(actor=member, area="healthy", title="Walk to college")
    achieved = svc.goal_achieve(actor=member, goal_id=goal.pk)
    when = achieved.achieved_at
    assert when is not None and achieved.progress == 100
    assert svc.goal_achieve(actor=member, goal_id=goal.pk).achieved_at == when
    reopened = svc.goal_reopen(actor=member, goal_id=goal.pk)
    assert reopened.achieved_at is None
    assert svc.goal_reopen(actor=member, goal_id=goal.pk).achieved_at is None


def test_steps_are_added_in_order_ticked_unticked_and_deleted(member):
    goal = svc.goal_add(actor=member, area="independence", title="Manage my money")
    first = svc.goal_step_add(actor=member, goal_id=goal.pk, text="Open a bank account")
    second = svc.goal_step_add(actor=member, goal_id=goal.pk, text="Make a budget")
    assert [s.text for s in goal.steps.all()] == ["Open a bank account", "Make a budget"]
    assert svc.goal_step_toggle(actor=member, goal_id=goal.pk, step_id=first.pk).done_at is not None
    assert svc.goal_step_toggle(actor=member, goal_id=goal.pk, step_id=first.pk, done=True).done_at is not None
    assert svc.goal_step_toggle(actor=member, goal_id=goal.pk, step_id=first.pk).done_at is None
    svc.goal_step_delete(actor=member, goal_id=goal.pk, step_id=second.pk)
    assert list(goal.steps.values_list("text", flat=True)) == ["Open a bank account"]


def test_a_goal_holds_a_bounded_number_of_steps(member):
    goal = svc.goal_add(actor=member, area="job", title="Apply for jobs")
    GoalStep.objects.bulk_create([GoalStep(goal=goal, text=f"Step {n}", position=n) for n in range(svc.STEPS_MAX)])
    with pytest.raises(Conflict) as caught:
        svc.goal_step_add(actor=member, goal_id=goal.pk, text="One more")
    assert caught.value.code == "too_many_steps"


def test_a_member_holds_a_bounded_number_of_goals(member):
    Goal.objects.bulk_create([Goal(user=member, area="job", title=f"Goal {n}") for n in range(svc.GOALS_MAX)])
    with pytest.raises(Conflict) as caught:
        svc.goal_add(actor=member, area="job", title="Another")
    assert caught.value.code == "too_many_goals"


def test_deleting_a_goal_deletes_its_steps(member):
    goal = svc.goal_add(actor=member, area="family", title="See my sister more")
    svc.goal_step_add(actor=member, goal_id=goal.pk, text="Text her on Sunday")
    svc.goal_delete(actor=member, goal_id=goal.pk)
    assert not Goal.objects.exists() and not GoalStep.objects.exists()


def test_nobody_else_can_touch_my_goals_or_steps_not_even_staff(member, make_user):
    goal = svc.goal_add(actor=member, area="family", title="Call my nan")
    step = svc.goal_step_add(actor=member, goal_id=goal.pk, text="Find her number")
    for role in (SiteRole.MEMBER, SiteRole.MODERATOR, SiteRole.STAFF):
        other = make_user(role=role)
        with pytest.raises(NotFound) as caught:
            svc.goal_update(actor=other, goal_id=goal.pk, progress=90)
        assert caught.value.code == "goal_not_found"
        for call in (svc.goal_achieve, svc.goal_delete):
            with pytest.raises(NotFound):
                call(actor=other, goal_id=goal.pk)
        with pytest.raises(NotFound) as caught:
            svc.goal_step_toggle(actor=other, goal_id=goal.pk, step_id=step.pk)
        assert caught.value.code == "step_not_found"
        with pytest.raises(NotFound):
            svc.goal_step_add(actor=other, goal_id=goal.pk, text="Sneaky")
    goal.refresh_from_db()
    assert goal.progress == 0 and goal.achieved_at is None and goal.steps.count() == 1


def test_a_step_is_only_found_under_its_own_goal(member):
    one = svc.goal_add(actor=member, area="job", title="One")
    two = svc.goal_add(actor=member, area="job", title="Two")
    step = svc.goal_step_add(actor=member, goal_id=one.pk, text="A step")
    with pytest.raises(NotFound):
        svc.goal_step_delete(actor=member, goal_id=two.pk, step_id=step.pk)


def test_evaluators_and_visitors_keep_no_destination(evaluator):
    for actor in (evaluator, AnonymousUser()):
        with pytest.raises(Forbidden) as caught:
            svc.destination_areas_set(actor=actor, areas=["job"])
        assert caught.value.code == "members_only"
        with pytest.raises(Forbidden):
            svc.goal_add(actor=actor, area="job", title="Anything")
        with pytest.raises(Forbidden):
            svc.activity_status_record(actor=actor, code="F5")
    assert not DestinationArea.objects.exists() and not ActivityStatus.objects.exists()


def test_activity_is_recorded_once_per_change_and_cleared_with_its_history(member):
    first = svc.activity_status_record(actor=member, code="P5")
    assert svc.activity_status_record(actor=member, code="P5").pk == first.pk
    svc.activity_status_record(actor=member, code="F2")
    assert svc.activity_status_current(user=member).code == "F2"
    assert ActivityStatus.objects.filter(user=member).count() == 2
    assert svc.activity_status_clear(actor=member) == 2
    assert svc.activity_status_current(user=member) is None


@pytest.mark.parametrize("code", ["0", "NEET", "", None, "f5"])
def test_an_activity_outside_the_choices_is_refused(member, code):
    with pytest.raises(InvalidInput) as caught:
        svc.activity_status_record(actor=member, code=code)
    assert caught.value.code == "unknown_activity"


def test_every_activity_a_member_can_choose_has_plain_words_without_neet_wording():
    published = [row["code"] for row in reference.care_leaver_activities() if row["group"] != "UNKNOWN"]
    choices = svc.activity_choices()
    assert [code for code, _words in choices] == published
    for _code, words in choices:
        assert "NEET" not in words.upper()
        assert "not in education" not in words.lower()
