"""My positive destination: the areas that matter to a member, their goals in their own words with small steps, and
(optionally) what they are doing now, in the DfE care-leaver activity categories.

Everything here is the member's own and private: only they read or change it (community.permissions
access_own_goal / access_own_goal_step / require_keep_destination); evaluators and visitors are refused. The current
activity counts in programme figures only as an anonymous EET/NEET/unknown share and only while the member consents
(community.selectors.consent). Members are shown plain words for their activity (ACTIVITY_WORDS), never "NEET".

Choosing areas replaces the previous choice and is idempotent. A goal can be in any of the eight areas; adding one in
an area not yet chosen chooses that area too. Removing an area keeps its goals (they are the member's words; they can
delete them). Achieving an already achieved goal, ticking a ticked step and recording the activity already recorded
change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from community import permissions, reference
from community.errors import Conflict, InvalidInput
from community.models import ActivityStatus, DestinationArea, Goal, GoalStep, User

TITLE_MAX = 200  # Goal.title
STEP_MAX = 200  # GoalStep.text
GOALS_MAX = 60  # per member, achieved ones included
STEPS_MAX = 25  # per goal

# What a member sees for each SSDA903 code: their own situation in plain words. The official meaning (and its EET/NEET
# group) stays in reference_data/ssda903_activity.csv for aggregate reporting; "0" (not in touch / not known) is not
# something a member says about themselves: leaving it empty means the same.
ACTIVITY_WORDS: dict[str, str] = {
    "F1": "Studying full-time at university (higher education)",
    "P1": "Studying part-time at university (higher education)",
    "F2": "In full-time education, like college or sixth form",
    "P2": "In part-time education, like a college course",
    "F4": "Doing a full-time apprenticeship",
    "P4": "Doing a part-time apprenticeship",
    "F5": "Working or training full-time",
    "P5": "Working or training part-time",
    "G4": "Taking time out because of illness or disability",
    "G6": "Looking after my child, or expecting a baby",
    "G5": "Taking time out, or in between things, for another reason",
}


def area_choices() -> list[tuple[str, str]]:
    """The eight areas, (key, label), in the published order."""
    return reference.positive_destinations()


def area_labels() -> dict[str, str]:
    return dict(reference.positive_destinations())


def activity_choices() -> list[tuple[str, str]]:
    """(code, plain words) a member can choose from, in the order of ssda903_activity.csv."""
    return [
        (row["code"], ACTIVITY_WORDS[row["code"]])
        for row in reference.care_leaver_activities()
        if row["code"] in ACTIVITY_WORDS
    ]


def activity_words(code: str) -> str:
    return ACTIVITY_WORDS.get(code, "")


@dataclass(frozen=True)
class AreasChanged:
    areas: list[str]  # keys, in the published order
    changed: bool


def _clean_text(value, *, field: str, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"Please write the {what} as text.", code=f"{field}_required")
    text = " ".join(value.replace("\x00", "").split())
    if not text:
        raise InvalidInput(f"Please write a few words for the {what}.", code=f"{field}_required")
    if len(text) > limit:
        raise InvalidInput(
            f"That {what} is a bit long: please keep it under {limit} characters.", code=f"{field}_too_long"
        )
    return text


def _clean_area(area) -> str:
    if not isinstance(area, str) or area not in area_labels():
        raise InvalidInput("Please choose one of the eight areas.", code="unknown_area")
    return area


def _clean_progress(progress) -> int:
    if isinstance(progress, str) and progress.strip().isdecimal():  # not isdigit(): int("²") fails
        progress = int(progress.strip())
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise InvalidInput("Progress is a whole number from 0 to 100.", code="progress_out_of_range")
    return progress


# --- areas ----------------------------------------------------------------------------------------------------------


def destination_areas_set(*, actor: User, areas: list[str]) -> AreasChanged:
    """Choose which areas matter to you (replaces the previous choice; an empty list clears it)."""
    permissions.require_keep_destination(actor)
    if not isinstance(areas, list | tuple):
        raise InvalidInput("Please choose from the eight areas.", code="unknown_area")
    wanted = {_clean_area(area) for area in areas}
    order = [key for key, _label in area_choices()]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one change at a time per member
        current = set(DestinationArea.objects.filter(user=actor).values_list("area", flat=True))
        removed, added = current - wanted, wanted - current
        if removed:
            DestinationArea.objects.filter(user=actor, area__in=removed).delete()
        if added:
            DestinationArea.objects.bulk_create([DestinationArea(user=actor, area=area) for area in added])
    return AreasChanged(areas=[key for key in order if key in wanted], changed=bool(removed or added))


def _choose_area(actor: User, area: str) -> None:
    if DestinationArea.objects.filter(user=actor, area=area).exists():
        return
    try:
        with transaction.atomic():
            DestinationArea.objects.create(user=actor, area=area)
    except IntegrityError:  # chosen in another tab at the same moment
        pass


# --- goals ----------------------------------------------------------------------------------------------------------


def goal_add(*, actor: User, area: str, title: str) -> Goal:
    permissions.require_keep_destination(actor)
    area = _clean_area(area)
    title = _clean_text(title, field="title", limit=TITLE_MAX, what="goal")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        if Goal.objects.filter(user=actor).count() >= GOALS_MAX:
            raise Conflict(
                f"You have {GOALS_MAX} goals already. You could delete one you no longer need first.",
                code="too_many_goals",
            )
        _choose_area(actor, area)
        return Goal.objects.create(user=actor, area=area, title=title)


def goal_update(*, actor: User, goal_id: int, title: str | None = None, progress: int | None = None) -> Goal:
    """Change a goal's words or how far along it feels (0-100). Only what is given changes."""
    if title is not None:
        title = _clean_text(title, field="title", limit=TITLE_MAX, what="goal")
    if progress is not None:
        progress = _clean_progress(progress)
    with transaction.atomic():
        goal = permissions.access_own_goal(user=actor, goal_id=goal_id, lock=True)
        fields = []
        if title is not None and title != goal.title:
            goal.title = title
            fields.append("title")
        if progress is not None and progress != goal.progress:
            goal.progress = progress
            fields.append("progress")
        if fields:
            goal.save(update_fields=[*fields, "updated_at"])
    return goal


def goal_achieve(*, actor: User, goal_id: int) -> Goal:
    """Mark a goal as reached (progress becomes 100). Idempotent."""
    with transaction.atomic():
        goal = permissions.access_own_goal(user=actor, goal_id=goal_id, lock=True)
        if goal.achieved_at is None:
            goal.achieved_at = timezone.now()
            goal.progress = 100
            goal.save(update_fields=["achieved_at", "progress", "updated_at"])
    return goal


def goal_reopen(*, actor: User, goal_id: int) -> Goal:
    """Carry on working on a goal marked as reached (its progress stays as it was). Idempotent."""
    with transaction.atomic():
        goal = permissions.access_own_goal(user=actor, goal_id=goal_id, lock=True)
        if goal.achieved_at is not None:
            goal.achieved_at = None
            goal.save(update_fields=["achieved_at", "updated_at"])
    return goal


def goal_delete(*, actor: User, goal_id: int) -> None:
    """Delete a goal and its steps, for good."""
    with transaction.atomic():
        goal = permissions.access_own_goal(user=actor, goal_id=goal_id, lock=True)
        goal.delete()


# --- steps ----------------------------------------------------------------------------------------------------------


def goal_step_add(*, actor: User, goal_id: int, text: str) -> GoalStep:
    text = _clean_text(text, field="text", limit=STEP_MAX, what="step")
    with transaction.atomic():
        goal = permissions.access_own_goal(user=actor, goal_id=goal_id, lock=True)
        steps = GoalStep.objects.filter(goal=goal)
        summary = steps.aggregate(last=Max("position"))
        if steps.count() >= STEPS_MAX:
            raise Conflict(
                f"This goal has {STEPS_MAX} steps already. You could tick off or delete one first.",
                code="too_many_steps",
            )
        position = (summary["last"] or 0) + 1
        return GoalStep.objects.create(goal=goal, text=text, position=position)


def goal_step_update(
    *, actor: User, goal_id: int, step_id: int, text: str | None = None, done: bool | None = None
) -> GoalStep:
    """Change a step's words and/or tick it (done=True) or untick it (done=False). Idempotent."""
    if text is not None:
        text = _clean_text(text, field="text", limit=STEP_MAX, what="step")
    if done is not None and not isinstance(done, bool):
        raise InvalidInput("Done is yes or no.", code="invalid_done")
    with transaction.atomic():
        step = permissions.access_own_goal_step(user=actor, goal_id=goal_id, step_id=step_id, lock=True)
        fields = []
        if text is not None and text != step.text:
            step.text = text
            fields.append("text")
        if done is not None and done != (step.done_at is not None):
            step.done_at = timezone.now() if done else None
            fields.append("done_at")
        if fields:
            step.save(update_fields=fields)
    return step


def goal_step_toggle(*, actor: User, goal_id: int, step_id: int, done: bool | None = None) -> GoalStep:
    """Tick or untick a step: `done` says which (idempotent); without it, the step flips."""
    if done is None:
        step = permissions.access_own_goal_step(user=actor, goal_id=goal_id, step_id=step_id)
        done = step.done_at is None
    return goal_step_update(actor=actor, goal_id=goal_id, step_id=step_id, done=done)


def goal_step_delete(*, actor: User, goal_id: int, step_id: int) -> None:
    with transaction.atomic():
        step = permissions.access_own_goal_step(user=actor, goal_id=goal_id, step_id=step_id, lock=True)
        step.delete()


# --- what I'm doing now ---------------------------------------------------------------------------------------------


def activity_status_current(*, user: User) -> ActivityStatus | None:
    """The member's newest activity, or None (not said)."""
    return ActivityStatus.objects.filter(user=user).order_by("-recorded_at", "-id").first()


def activity_status_record(*, actor: User, code: str) -> ActivityStatus:
    """Say what you are doing now (a code from activity_choices()). Recording the same as now changes nothing."""
    permissions.require_keep_destination(actor)
    if not isinstance(code, str) or code not in ACTIVITY_WORDS:
        raise InvalidInput("Please choose one of the options.", code="unknown_activity")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()
        current = activity_status_current(user=actor)
        if current is not None and current.code == code:
            return current
        return ActivityStatus.objects.create(user=actor, code=code)


def activity_status_clear(*, actor: User) -> int:
    """Remove what you said you are doing, and its history. Returns how many records went."""
    permissions.require_keep_destination(actor)
    with transaction.atomic():
        return ActivityStatus.objects.filter(user=actor).delete()[0]
