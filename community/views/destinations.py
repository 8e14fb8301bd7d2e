"""My positive destination (/me/destination/) and What I'm doing now (/me/doing-now/): plain forms, POST + CSRF, no
JavaScript. The same services as the REST API (community.services.destinations)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from community import permissions
from community.errors import DomainError
from community.selectors.dashboard import my_areas, my_goals
from community.services import destinations as svc


def _refused(request, error: DomainError):
    return render(request, "community/error.html", {"error": error}, status=error.status)


@login_required
@require_GET
def destination_page(request):
    try:
        permissions.require_keep_destination(request.user)
    except DomainError as error:
        return _refused(request, error)
    chosen = {key for key, _label in my_areas(user=request.user)}
    labels = svc.area_labels()
    goals = my_goals(user=request.user)
    for goal in goals:
        goal.area_label = labels.get(goal.area, goal.area)
    return render(
        request,
        "community/destination/destination.html",
        {
            "areas": [{"key": key, "label": label, "chosen": key in chosen} for key, label in svc.area_choices()],
            "chosen_any": bool(chosen),
            "goals": goals,
            "title_max": svc.TITLE_MAX,
            "step_max": svc.STEP_MAX,
        },
    )


def _goal_id(request) -> int:
    return _int(request.POST.get("goal"))


ACTIONS = {
    "areas": lambda r: (
        svc.destination_areas_set(actor=r.user, areas=r.POST.getlist("areas")),
        "Saved the areas that matter to you.",
    ),
    "goal-add": lambda r: (
        svc.goal_add(actor=r.user, area=r.POST.get("area", ""), title=r.POST.get("title", "")),
        "Added your goal.",
    ),
    "goal-update": lambda r: (
        svc.goal_update(
            actor=r.user,
            goal_id=_goal_id(r),
            title=r.POST.get("title") if "title" in r.POST else None,
            progress=r.POST.get("progress") if r.POST.get("progress", "") != "" else None,
        ),
        "Saved your goal.",
    ),
    "goal-achieve": lambda r: (svc.goal_achieve(actor=r.user, goal_id=_goal_id(r)), "Well done for getting there."),
    "goal-reopen": lambda r: (svc.goal_reopen(actor=r.user, goal_id=_goal_id(r)), "Your goal is open again."),
    "goal-delete": lambda r: (svc.goal_delete(actor=r.user, goal_id=_goal_id(r)), "Deleted that goal."),
    "step-add": lambda r: (
        svc.goal_step_add(actor=r.user, goal_id=_goal_id(r), text=r.POST.get("text", "")),
        "Added a small step.",
    ),
    "steps-tick": lambda r: (_tick_steps(r), "Saved your ticks."),
    "step-delete": lambda r: (
        svc.goal_step_delete(actor=r.user, goal_id=_goal_id(r), step_id=_int(r.POST.get("step"))),
        "Deleted that step.",
    ),
}


def _int(value) -> int:
    return int(value) if isinstance(value, str) and value.isdecimal() else 0  # not isdigit(): int("²") fails


def _tick_steps(request) -> None:
    """One form per goal: every step of the goal is ticked if its box is checked, unticked if not."""
    goal = permissions.access_own_goal(user=request.user, goal_id=_goal_id(request))
    ticked = {_int(value) for value in request.POST.getlist("done")}
    for step in goal.steps.all():
        svc.goal_step_toggle(actor=request.user, goal_id=goal.pk, step_id=step.pk, done=step.pk in ticked)


@login_required
@require_POST
def destination_action(request, action: str):
    if action not in ACTIONS:
        raise Http404
    try:
        _result, done = ACTIONS[action](request)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, done)
    goal = _goal_id(request)
    anchor = f"#goal-{goal}" if goal and action != "goal-delete" else ""
    return redirect(reverse("community:my-destination") + anchor)


@login_required
def activity_page(request):
    try:
        permissions.require_keep_destination(request.user)
    except DomainError as error:
        return _refused(request, error)
    if request.method == "POST":
        try:
            if request.POST.get("clear"):
                svc.activity_status_clear(actor=request.user)
                messages.success(request, "Removed what you said you're doing.")
            else:
                svc.activity_status_record(actor=request.user, code=request.POST.get("code", ""))
                messages.success(request, "Saved. Thank you for telling us.")
        except DomainError as error:
            messages.error(request, error.detail)
        return redirect("community:my-activity")
    current = svc.activity_status_current(user=request.user)
    return render(
        request,
        "community/destination/activity.html",
        {"choices": svc.activity_choices(), "current": current.code if current else ""},
    )


urlpatterns = [
    path("me/destination/", destination_page, name="my-destination"),
    path("me/destination/<slug:action>/", destination_action, name="my-destination-action"),
    path("me/doing-now/", activity_page, name="my-activity"),
]
