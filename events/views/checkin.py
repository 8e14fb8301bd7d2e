"""The day itself: the check-in screen (organisers mark people here; members type or scan the code) and the pulse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from community.errors import Conflict, DomainError
from events import permissions
from events.checkin_codes import current_code, qr_code_svg, seconds_until_next_code
from events.forms import AttendeeSearchForm, PulseForm, SelfCheckInForm, show_refusal
from events.models import Pulse, RsvpStatus
from events.organiser_tools import ATTENDEE_ACTIONS, attendee_person
from events.selectors import EventDetail, attendees_for, event_detail_for
from events.services.checkin import check_in_opens_at, self_check_in, self_check_in_window
from events.services.pulse import HELD_NOTE_MESSAGE, pulse_delete, pulse_submit

CHECK_IN_SCREEN_ACTIONS = {"mark": "check-in", "undo": "undo-check-in"}


@login_required
@require_http_methods(["GET", "POST"])
def event_checkin(request, event_id: int):
    detail = event_detail_for(user=request.user, event_id=event_id)
    if detail.is_organiser and request.method == "GET":
        return _organiser_screen(request, detail)
    return _member_check_in(request, detail)


def _organiser_screen(request, detail: EventDetail):
    event = detail.event
    search_form = AttendeeSearchForm(request.GET)
    search = search_form.cleaned_data.get("q", "") if search_form.is_valid() else ""
    attendees = attendees_for(organiser=request.user, event=event, search=search)
    opens_at, closes_at = self_check_in_window(event)
    return render(
        request,
        "events/checkin_organiser.html",
        {
            "event": event,
            "detail": detail,
            "search_form": search_form,
            "search": search,
            "going": attendees.going,
            "checked_in_count": attendees.checked_in_count,
            "code": current_code(event.pk),
            # segno writes this SVG from our own URL; nothing in it comes from a person.
            "qr_svg": mark_safe(qr_code_svg(event.pk)),  # noqa: S308
            "seconds_left": seconds_until_next_code(),
            "opens_at": opens_at,
            "closes_at": closes_at,
        },
    )


def _member_check_in(request, detail: EventDetail):
    event = detail.event
    if request.method == "POST":
        form = SelfCheckInForm(request.POST)
        if form.is_valid():
            try:
                self_check_in(actor=request.user, event=event, code=form.cleaned_data["code"])
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, "You're checked in. Welcome, it's good to see you!")
                return redirect("events:event-pulse", event_id=event.pk)
    else:
        form = SelfCheckInForm(initial={"code": request.GET.get("code", "")[:20]})
    return render(
        request,
        "events/checkin_member.html",
        {
            "event": event,
            "detail": detail,
            "form": form,
            "is_going": detail.my_rsvp_status == RsvpStatus.GOING,
            "opens_at": check_in_opens_at(event),
        },
    )


@login_required
@require_POST
def event_checkin_person(request, event_id: int, user_id: int, action: str):
    if action not in CHECK_IN_SCREEN_ACTIONS:
        raise Http404
    event = permissions.access_event_as_organiser(user=request.user, event_id=event_id)
    person = attendee_person(user_id)
    service, success = ATTENDEE_ACTIONS[CHECK_IN_SCREEN_ACTIONS[action]]
    try:
        service(actor=request.user, event=event, user=person)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, success.format(name=person.display_name))
    url = reverse("events:event-checkin", kwargs={"event_id": event.pk})
    search = request.POST.get("q", "").strip()[:40]
    return redirect(f"{url}?{urlencode({'q': search})}" if search else url)


@login_required
@require_http_methods(["GET", "POST"])
def event_pulse(request, event_id: int):
    detail = event_detail_for(user=request.user, event_id=event_id)
    event = detail.event
    if not detail.is_checked_in:
        raise Conflict("You can share how it went once you've been checked in.", code="not_checked_in")
    earlier = Pulse.objects.filter(event=event, user=request.user).first()
    initial = {}
    if earlier is not None:
        initial = {"feeling": earlier.feeling, "connected": earlier.connected, "note": earlier.note_to_organisers}
    form = PulseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pulse = pulse_submit(
                actor=request.user,
                event=event,
                feeling=form.cleaned_data["feeling"],
                connected=form.cleaned_data["connected"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            if pulse.note_held:
                messages.info(request, HELD_NOTE_MESSAGE)
                return redirect("community:support")
            messages.success(request, "Thank you for sharing. It helps make the next one even better.")
            return redirect("events:event-detail", event_id=event.pk)
    return render(request, "events/pulse.html", {"event": event, "form": form, "answered_before": earlier})


@login_required
@require_POST
def event_pulse_delete(request, event_id: int):
    event = permissions.access_event(user=request.user, event_id=event_id)
    if pulse_delete(actor=request.user, event=event):
        messages.success(request, "Your answers are deleted.")
    return redirect("events:event-detail", event_id=event.pk)
