"""Moderators' pages for room controls, duty and word lists, built for a phone and working without JavaScript.

- Rooms: every group and event room, controlled ones first, with the "I'm on duty" switch.
- One room: slow mode, lock or unlock, and the weekly staffed hours (seven day rows with up to two openings each).
- Word list: the "test this text" box, adding an entry, and the list with change and remove.

Thin: the same services and selectors as the REST API (messaging/api_room_controls.py). Refusals from services are
shown on the form; a person who isn't a moderator gets the site's error page (`moderators_only`).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from community.errors import DomainError
from community.services.notifications import is_local_path
from messaging import permissions, selectors
from messaging.models import StaffedHours, WordAction
from messaging.services.moderation.room_controls import (
    LOCK_REASON_MAX_CHARS,
    moderator_duty_end,
    moderator_duty_start,
    room_lock,
    room_slow_mode_set,
    room_staffed_hours_set,
    room_unlock,
    rooms_ensure_for_moderation,
)
from messaging.services.moderation.word_lists import (
    NOTE_MAX_CHARS,
    PHRASE_MAX_CHARS,
    word_list_entry_add,
    word_list_entry_not_found,
    word_list_entry_remove,
    word_list_entry_update,
    word_list_test,
)
from messaging.staffed_hours import WEEKDAYS

ROOMS_PER_PAGE = 30
SLOTS_PER_DAY = 2
SLOW_MODE_CHOICES = [
    (0, "Off"),
    (10, "One message every 10 seconds"),
    (30, "One message every 30 seconds"),
    (60, "One message a minute"),
    (120, "One message every 2 minutes"),
    (300, "One message every 5 minutes"),
    (900, "One message every 15 minutes"),
    (3600, "One message an hour"),
]
ACTION_CHOICES = [
    (WordAction.BLOCK.value, "Block: the message isn't sent, and the sender is told why"),
    (WordAction.HOLD.value, "Hold: moderators review it before anyone else sees it"),
    (WordAction.FLAG.value, "Flag: it's sent, and moderators are told"),
]


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- duty -------------------------------------------------------------------------------------------------------------


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if is_local_path(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def duty_toggle(request):
    """On ("on"=1) or off duty; back to the page the switch was on."""
    if request.POST.get("on") == "1":
        change = moderator_duty_start(actor=request.user)
        messages.success(
            request,
            "You're on duty. Rooms with staffed hours are open, and safeguarding alerts come to you."
            if change.changed
            else "You were already on duty.",
        )
    else:
        change = moderator_duty_end(actor=request.user)
        messages.success(
            request,
            "You're off duty. Thank you." if change.changed else "You were already off duty.",
        )
    return redirect(_safe_next(request, reverse("messaging:moderation-rooms")))


def _duty_context(request) -> dict:
    duty = selectors.duty_payload(user=request.user)
    since = parse_datetime(duty["started_at"]) if duty["started_at"] else None
    return {"duty": duty, "duty_since": since, "duty_next": request.get_full_path()}


# --- rooms ------------------------------------------------------------------------------------------------------------


@login_required
def room_list(request):
    permissions.require_moderator(request.user)
    rooms_ensure_for_moderation()
    page = Paginator(selectors.rooms_for_moderation(), ROOMS_PER_PAGE).get_page(request.GET.get("page"))
    rooms = [
        {
            **selectors.room_payload(room, viewer=request.user),
            "url": reverse("messaging:moderation-room", args=[room.pk]),
        }
        for room in page
    ]
    return render(request, "messaging/moderation/rooms.html", {"rooms": rooms, "page": page, **_duty_context(request)})


class SlowModeForm(_Form):
    seconds = forms.TypedChoiceField(
        label="How often each person can post",
        choices=SLOW_MODE_CHOICES,
        coerce=int,
        help_text="Moderators and staff aren't slowed down.",
    )


class LockForm(_Form):
    reason = forms.CharField(
        label="Why (optional, only moderators see it)",
        required=False,
        max_length=LOCK_REASON_MAX_CHARS,
        help_text="For the audit log, for example: a heated argument, cooling off.",
    )


class StaffedHoursForm(_Form):
    """Staffed hours on or off, and seven day rows, each with up to two openings (both times or neither)."""

    enabled = forms.BooleanField(
        label="Only open in staffed hours",
        required=False,
        help_text="Outside these hours members can read but not post, unless a moderator is on duty.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = []
        for weekday, day in enumerate(WEEKDAYS):
            slots = []
            for slot in range(SLOTS_PER_DAY):
                later = " (a second time, optional)" if slot else ""
                opens, closes = f"d{weekday}_{slot}_opens", f"d{weekday}_{slot}_closes"
                self.fields[opens] = forms.TimeField(
                    label=f"{day}{later}: opens", required=False, widget=forms.TimeInput(attrs={"type": "time"})
                )
                self.fields[closes] = forms.TimeField(
                    label=f"{day}{later}: closes", required=False, widget=forms.TimeInput(attrs={"type": "time"})
                )
                slots.append((opens, closes))
            self.days.append((weekday, day, slots))

    @classmethod
    def initial_for(cls, room) -> dict:
        initial = {"enabled": room.staffed_hours_only}
        used: dict[int, int] = {}
        for opening in StaffedHours.objects.filter(room=room).order_by("weekday", "opens_at"):
            slot = used.get(opening.weekday, 0)
            if slot >= SLOTS_PER_DAY:
                continue
            used[opening.weekday] = slot + 1
            initial[f"d{opening.weekday}_{slot}_opens"] = opening.opens_at.strftime("%H:%M")
            initial[f"d{opening.weekday}_{slot}_closes"] = opening.closes_at.strftime("%H:%M")
        return initial

    def day_rows(self):
        """For the template: each day with its (opens, closes) bound fields."""
        return [
            {"weekday": weekday, "day": day, "slots": [(self[o], self[c]) for o, c in slots]}
            for weekday, day, slots in self.days
        ]

    def clean(self):
        cleaned = super().clean()
        openings = []
        for weekday, day, slots in self.days:
            for opens, closes in slots:
                start, end = cleaned.get(opens), cleaned.get(closes)
                if start is None and end is None:
                    continue
                if start is None or end is None:
                    self.add_error(
                        opens if start is None else closes, f"{day}: give both an opening and a closing time."
                    )
                    continue
                openings.append((weekday, start, end))
        cleaned["openings"] = openings
        return cleaned


def _room_page(request, room, *, slow_form=None, lock_form=None, hours_form=None, status=200):
    details = selectors.room_payload(room, viewer=request.user)
    return render(
        request,
        "messaging/moderation/room_controls.html",
        {
            "room": room,
            "details": details,
            "chat_url": reverse("messaging:room", args=[room.pk]),
            "slow_form": slow_form or SlowModeForm(initial={"seconds": room.slow_mode_seconds}),
            "lock_form": lock_form or LockForm(),
            "hours_form": hours_form or StaffedHoursForm(initial=StaffedHoursForm.initial_for(room)),
            **_duty_context(request),
        },
        status=status,
    )


@login_required
def room_controls(request, room_id: int):
    room = permissions.access_room_controls(user=request.user, room_id=room_id)
    return _room_page(request, room)


def _back_to_room(room_id: int):
    return redirect("messaging:moderation-room", room_id=room_id)


@login_required
@require_POST
def room_slow_mode(request, room_id: int):
    room = permissions.access_room_controls(user=request.user, room_id=room_id)
    form = SlowModeForm(request.POST)
    if form.is_valid():
        try:
            room = room_slow_mode_set(actor=request.user, room_id=room.pk, seconds=form.cleaned_data["seconds"])
        except DomainError as error:
            form.add_error("seconds", error.detail)
        else:
            label = dict(SLOW_MODE_CHOICES)[room.slow_mode_seconds]
            messages.success(
                request, "Slow mode is off." if not room.slow_mode_seconds else f"Slow mode: {label.lower()}."
            )
            return _back_to_room(room.pk)
    return _room_page(request, room, slow_form=form, status=400)


@login_required
@require_POST
def room_lock_toggle(request, room_id: int):
    room = permissions.access_room_controls(user=request.user, room_id=room_id)
    form = LockForm(request.POST)
    if form.is_valid():
        locking = request.POST.get("locked") == "1"
        change = room_lock if locking else room_unlock
        try:
            change(actor=request.user, room_id=room.pk, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", error.detail)
        else:
            messages.success(
                request,
                "Locked. Members can read but not post; moderators can still post."
                if locking
                else "Unlocked. Members can post again.",
            )
            return _back_to_room(room.pk)
    return _room_page(request, room, lock_form=form, status=400)


@login_required
@require_POST
def room_staffed_hours(request, room_id: int):
    room = permissions.access_room_controls(user=request.user, room_id=room_id)
    form = StaffedHoursForm(request.POST)
    if form.is_valid():
        try:
            room_staffed_hours_set(
                actor=request.user,
                room_id=room.pk,
                enabled=form.cleaned_data["enabled"],
                openings=form.cleaned_data["openings"],
            )
        except DomainError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, "Staffed hours saved. People in the room see the change now.")
            return _back_to_room(room.pk)
    return _room_page(request, room, hours_form=form, status=400)


# --- word list --------------------------------------------------------------------------------------------------------


class WordEntryForm(_Form):
    phrase = forms.CharField(
        label="Word or phrase",
        max_length=PHRASE_MAX_CHARS,
        help_text="Capitals, accents, spaces and swaps like 1 for i don't matter. End with * to match any ending.",
    )
    action = forms.ChoiceField(label="What happens", choices=ACTION_CHOICES, widget=forms.RadioSelect)
    note = forms.CharField(label="Note (optional, only moderators see it)", required=False, max_length=NOTE_MAX_CHARS)


class WordTestForm(_Form):
    text = forms.CharField(
        label="Test this text",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Nothing is sent. You'll see how it's read and what would happen.",
    )


@login_required
def word_list(request):
    permissions.require_moderator(request.user)
    form = WordEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = word_list_entry_add(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error("phrase", error.detail)
        else:
            messages.success(request, f"Added \u201c{entry.phrase}\u201d. Messages are checked against it from now on.")
            return redirect("messaging:moderation-word-list")
    test_form = WordTestForm(request.GET or None)
    tested = None
    if test_form.is_valid() and test_form.cleaned_data["text"]:
        tested = word_list_test(text=test_form.cleaned_data["text"])
    return render(
        request,
        "messaging/moderation/word_list.html",
        {
            "form": form,
            "test_form": test_form,
            "tested": tested,
            "entries": selectors.word_list_entries(),
            "action_labels": dict(ACTION_CHOICES),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def word_edit(request, entry_id: int):
    permissions.require_moderator(request.user)
    entry = selectors.word_list_entry(entry_id=entry_id)
    if entry is None:
        raise word_list_entry_not_found()
    initial = {"phrase": entry.phrase, "action": entry.action, "note": entry.note}
    form = WordEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = word_list_entry_update(actor=request.user, entry_id=entry.pk, **form.cleaned_data)
        except DomainError as error:
            form.add_error("phrase", error.detail)
        else:
            messages.success(request, f"Saved \u201c{entry.phrase}\u201d.")
            return redirect("messaging:moderation-word-list")
    return render(
        request,
        "messaging/moderation/word_edit.html",
        {"form": form, "entry": entry},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def word_remove(request, entry_id: int):
    if word_list_entry_remove(actor=request.user, entry_id=entry_id):
        messages.success(request, "Removed from the word list.")
    else:
        messages.success(request, "That entry had already been removed.")
    return redirect("messaging:moderation-word-list")


urlpatterns = [
    path("moderation/rooms/", room_list, name="moderation-rooms"),
    path("moderation/rooms/<int:room_id>/", room_controls, name="moderation-room"),
    path("moderation/rooms/<int:room_id>/slow-mode/", room_slow_mode, name="moderation-room-slow-mode"),
    path("moderation/rooms/<int:room_id>/lock/", room_lock_toggle, name="moderation-room-lock"),
    path("moderation/rooms/<int:room_id>/staffed-hours/", room_staffed_hours, name="moderation-room-staffed-hours"),
    path("moderation/duty/", duty_toggle, name="moderation-duty"),
    path("moderation/word-list/", word_list, name="moderation-word-list"),
    path("moderation/word-list/<int:entry_id>/", word_edit, name="moderation-word-edit"),
    path("moderation/word-list/<int:entry_id>/remove/", word_remove, name="moderation-word-remove"),
]
