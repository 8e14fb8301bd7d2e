"""Upcoming events, one event with its RSVP buttons, saying you're going or not, and my events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from community.errors import DomainError
from community.selectors.groups import groups_visible_to
from events import permissions
from events.forms import EventFilterForm
from events.models import Attendance, Idea, RsvpMode, RsvpStatus
from events.selectors import EventDetail, event_detail_for, my_rsvps, upcoming_events_for
from events.services.checkin import check_in_opens_at
from events.services.rsvps import rsvp_cancel, rsvp_going
from events.wording import is_full

EVENTS_PER_PAGE = 20
PAST_EVENTS_SHOWN = 20

GOING_MESSAGES = {
    RsvpStatus.GOING: "You're going! It's in your events now.",
    RsvpStatus.WAITLISTED: "It's full right now, so you're on the waiting list. We'll tell you when a place opens.",
    RsvpStatus.PENDING: "You've asked to come. An organiser will let you know soon.",
}
CANCEL_MESSAGES = {
    RsvpStatus.GOING: "Thanks for letting us know. Your place can go to someone else now.",
    RsvpStatus.WAITLISTED: "You've left the waiting list.",
    RsvpStatus.PENDING: "Your request to come is taken back.",
}
CANCEL_BUTTONS = {
    RsvpStatus.GOING: "I can't go any more",
    RsvpStatus.WAITLISTED: "Leave the waiting list",
    RsvpStatus.PENDING: "Take back my request",
}


@login_required
@require_GET
def event_list(request):
    groups = list(groups_visible_to(user=request.user))
    form = EventFilterForm(request.GET or None, groups=groups)
    filters = form.filters()
    group = next((group for group in groups if group.slug == filters["group"]), None)
    events = upcoming_events_for(
        user=request.user,
        group=group,
        category=filters["category"] or None,
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        mine=filters["mine"],
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    filtered = any(filters.values())
    return render(
        request,
        "events/event_list.html",
        {"form": form, "page": page, "events": page.object_list, "filtered": filtered},
    )


def _rsvp_offer(detail: EventDetail) -> dict:
    """What the RSVP part of the event page says and offers, in words."""
    event, status, now = detail.event, detail.my_rsvp_status, timezone.now()
    offer = {"going_label": "", "cancel_label": "", "closed_reason": ""}
    if event.is_cancelled or event.ends_at <= now:
        return offer
    if status in CANCEL_BUTTONS:
        if not detail.is_checked_in:
            offer["cancel_label"] = CANCEL_BUTTONS[status]
        return offer
    if status == RsvpStatus.DECLINED:
        return offer
    if event.rsvp_closes_at is not None and now >= event.rsvp_closes_at:
        offer["closed_reason"] = "Sign-ups for this event have closed."
    elif event.rsvp_mode == RsvpMode.APPROVAL and not detail.is_organiser:
        offer["going_label"] = "Ask to come"
    elif is_full(event):
        offer["going_label"] = "Join the waiting list"
    else:
        offer["going_label"] = "I'm going"
    return offer


def _idea_behind(user, event) -> Idea | None:
    idea = Idea.objects.filter(event=event).select_related("group").first()
    return idea if idea is not None and permissions.can_see_idea(user, idea) else None


@login_required
@require_GET
def event_detail(request, event_id: int):
    detail = event_detail_for(user=request.user, event_id=event_id)
    event = detail.event
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "detail": detail,
            "offer": _rsvp_offer(detail),
            "is_over": event.ends_at <= timezone.now(),
            "idea": _idea_behind(request.user, event),
            "check_in_opens_at": check_in_opens_at(event),
        },
    )


@login_required
@require_POST
def event_rsvp(request, event_id: int):
    event = permissions.access_event(user=request.user, event_id=event_id)
    try:
        rsvp = rsvp_going(actor=request.user, event=event)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, GOING_MESSAGES.get(rsvp.status, "Done."))
    return redirect("events:event-detail", event_id=event.pk)


@login_required
@require_POST
def event_rsvp_cancel(request, event_id: int):
    event = permissions.access_event(user=request.user, event_id=event_id)
    detail_status = event.rsvps.filter(user=request.user).values_list("status", flat=True).first()
    try:
        rsvp_cancel(actor=request.user, event=event)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, CANCEL_MESSAGES.get(detail_status, "Done. You're not going."))
    return redirect("events:event-detail", event_id=event.pk)


@login_required
@require_GET
def my_events(request):
    upcoming = list(my_rsvps(user=request.user))
    went_to = list(
        Attendance.objects.filter(user=request.user, event__ends_at__lt=timezone.now())
        .select_related("event", "event__group")
        .order_by("-event__starts_at")[:PAST_EVENTS_SHOWN]
    )
    return render(
        request,
        "events/my_events.html",
        {
            "going": [rsvp for rsvp in upcoming if rsvp.status == RsvpStatus.GOING],
            "waiting": [rsvp for rsvp in upcoming if rsvp.status != RsvpStatus.GOING],
            "went_to": went_to,
        },
    )
