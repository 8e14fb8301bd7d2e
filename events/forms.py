"""Forms for the event pages. They only check the shape of what was typed; the services decide what is allowed.

Dates and times are typed in UK local time (an <input type="datetime-local">) and turned into aware datetimes with
zoneinfo's Europe/London, so 6pm means 6pm on both sides of a clock change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.errors import DomainError
from community.reference import positive_destinations
from events.models import EventCategory, EventVisibility, PulseConnection, RsvpMode, SeriesFrequency
from events.services.announcements import MESSAGE_LIMIT
from events.services.pulse import NOTE_LIMIT
from events.wording import FEELING_WORDS

LONDON = ZoneInfo("Europe/London")
LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")

# Where a service's refusal belongs on the event form, when the service doesn't say.
FIELD_FOR_CODE = {
    "title_required": "title",
    "invalid_category": "category",
    "invalid_destination_area": "destination_areas",
    "invalid_capacity": "capacity",
    "invalid_rsvp_mode": "rsvp_mode",
    "invalid_visibility": "visibility",
    "invalid_link": "joining_link",
    "ends_before_start": "ends_at",
    "rsvp_closes_after_end": "rsvp_closes_at",
    "event_in_the_past": "starts_at",
    "invalid_repeat": "repeat",
    "repeat_end_needed": "repeat_count",
    "invalid_repeat_count": "repeat_count",
    "too_many_occurrences": "repeat_count",
    "invalid_repeat_until": "repeat_until",
    "invalid_scope": "scope",
    "wrong_code": "code",
    "invalid_feeling": "feeling",
    "invalid_connected": "connected",
    "message_required": "message",
}


def show_refusal(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal next to the field it is about, or at the top of the form."""
    for field in error.fields or {}:
        if field in form.fields:
            form.add_error(field, error.detail)
            return
    field = FIELD_FOR_CODE.get(error.code)
    form.add_error(field if field in form.fields else None, error.detail)


class PlainForm(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def in_london(naive: datetime) -> datetime:
    """A wall-clock UK time as an aware datetime. Refuses a time the spring clock change skips."""
    aware = naive.replace(tzinfo=LONDON)
    if aware.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
        raise ValidationError(
            "The clocks go forward at that time, so it doesn't exist in the UK. Please pick another time.",
            code="skipped_time",
        )
    return aware


class UkDateTimeField(forms.DateTimeField):
    default_error_messages = {"invalid": "Please enter a date and a time."}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else in_london(value)
        text = str(value).strip()
        for pattern in LOCAL_FORMATS:
            try:
                naive = datetime.strptime(text, pattern)
            except ValueError:
                continue
            return in_london(naive)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class UkDateField(forms.DateField):
    default_error_messages = {"invalid": "Please enter a date."}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)


# --- the list ---------------------------------------------------------------------------------------------------------


class EventFilterForm(PlainForm):
    group = forms.ChoiceField(label="Group", required=False)
    category = forms.ChoiceField(
        label="Kind of event", required=False, choices=[("", "Any kind"), *EventCategory.choices]
    )
    date_from = UkDateField(label="From", required=False)
    date_to = UkDateField(label="To", required=False)
    mine = forms.BooleanField(label="Only events I'm going to, waiting for or asked to come to", required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Any group"), *((group.slug, group.name) for group in groups)]

    def filters(self) -> dict:
        """The filters that were given and make sense; anything not understood is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "group": data.get("group") or "",
            "category": data.get("category") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "mine": bool(data.get("mine")),
        }


# --- creating and editing ---------------------------------------------------------------------------------------------

RSVP_MODE_CHOICES = [
    (RsvpMode.OPEN, "Anyone who can see it can say they're going"),
    (RsvpMode.APPROVAL, "People ask to come, and an organiser says yes"),
]
VISIBILITY_CHOICES = [
    (EventVisibility.GROUP, "Only people in the group"),
    (EventVisibility.ALL_MEMBERS, "Everyone in Here and Now"),
]
REPEAT_CHOICES = [("", "No, just once"), *SeriesFrequency.choices]
SCOPE_CHOICES = [("this", "Just this date"), ("following", "This date and all the dates after it")]

TEXT_FIELDS = ("title", "description", "area", "venue_address", "joining_link", "accessibility_info")
TIME_FIELDS = ("starts_at", "ends_at", "rsvp_closes_at")


class EventForm(PlainForm):
    title = forms.CharField(
        label="Event name", max_length=120, help_text="Short and clear, like “Pizza and board games”."
    )
    description = forms.CharField(
        label="What will happen? (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ChoiceField(label="What kind of event is it?", choices=EventCategory.choices)
    destination_areas = forms.MultipleChoiceField(
        label="Which areas of life does it help with? (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = UkDateTimeField(label="Starts", help_text="UK time.")
    ends_at = UkDateTimeField(label="Ends", help_text="UK time.")
    is_online = forms.BooleanField(label="It's online", required=False)
    area = forms.CharField(
        label="Roughly where (optional)",
        required=False,
        max_length=120,
        help_text="Everyone who can see the event sees this, for example “Leeds city centre”.",
    )
    venue_address = forms.CharField(
        label="Exact address (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only people going, and the organisers, see this.",
    )
    joining_link = forms.CharField(
        label="Joining link for online events (optional)",
        required=False,
        max_length=200,
        widget=forms.URLInput,
        help_text="Only people going, and the organisers, see this. Starts with https://",
    )
    accessibility_info = forms.CharField(
        label="Accessibility (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Step-free access, a quiet space, toilets: anything that helps people feel OK about coming.",
    )
    capacity = forms.IntegerField(
        label="How many places? (optional)",
        required=False,
        help_text="Leave it empty for no limit. When it's full, people can join a waiting list.",
    )
    rsvp_mode = forms.ChoiceField(
        label="How people say they're going",
        choices=RSVP_MODE_CHOICES,
        initial=RsvpMode.OPEN,
        widget=forms.RadioSelect,
    )
    rsvp_closes_at = UkDateTimeField(
        label="Sign-ups close (optional)", required=False, help_text="UK time. Leave it empty to keep them open."
    )
    visibility = forms.ChoiceField(
        label="Who can see it",
        choices=VISIBILITY_CHOICES,
        initial=EventVisibility.GROUP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_areas"].choices = positive_destinations()

    def event_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in EventForm.base_fields}


class EventCreateForm(EventForm):
    repeat = forms.ChoiceField(
        label="Does it repeat?", choices=REPEAT_CHOICES, required=False, widget=forms.RadioSelect, initial=""
    )
    repeat_count = forms.IntegerField(
        label="How many dates in total? (if it repeats)",
        required=False,
        help_text="Up to 52. Or give the last date below instead.",
    )
    repeat_until = UkDateField(label="Last date (if it repeats)", required=False)

    def create_fields(self) -> dict:
        fields = self.event_fields()
        repeat = self.cleaned_data.get("repeat") or None
        fields["repeat"] = repeat
        if repeat:
            fields["repeat_count"] = self.cleaned_data.get("repeat_count")
            fields["repeat_until"] = self.cleaned_data.get("repeat_until")
        return fields


def _same_minute(old: datetime | None, new: datetime | None) -> bool:
    if old is None or new is None:
        return old is new
    return old.replace(second=0, microsecond=0) == new.replace(second=0, microsecond=0)


class EventEditForm(EventForm):
    scope = forms.ChoiceField(
        label="Which dates should change?",
        choices=SCOPE_CHOICES,
        initial="this",
        widget=forms.RadioSelect,
        help_text="This event repeats. Dates that are already cancelled don't change.",
    )

    def __init__(self, *args, event, **kwargs):
        kwargs.setdefault("initial", initial_for(event))
        super().__init__(*args, **kwargs)
        self.event = event
        if event.series_id is None:
            del self.fields["scope"]

    def changes(self) -> dict:
        """Only what is different from the event now, so other dates of a series keep their own details."""
        changed = {}
        for name, value in self.event_fields().items():
            old = getattr(self.event, name)
            if name in TIME_FIELDS:
                if not _same_minute(old, value):
                    changed[name] = value
            elif name == "destination_areas":
                if set(value) != set(old or []):
                    changed[name] = value
            elif name in TEXT_FIELDS:
                if (value or "").strip() != (old or ""):
                    changed[name] = value
            elif value != old:
                changed[name] = value
        return changed

    def scope_value(self) -> str:
        return self.cleaned_data.get("scope") or "this"


def initial_for(event) -> dict:
    return {name: getattr(event, name) for name in EventForm.base_fields}


class EventCancelForm(PlainForm):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone going or waiting gets a message with this. A short, kind reason helps.",
    )
    scope = forms.ChoiceField(
        label="Which dates are cancelled?",
        choices=SCOPE_CHOICES,
        initial="this",
        widget=forms.RadioSelect,
        help_text="Cancelling one date leaves the others as they are.",
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        if event.series_id is None:
            del self.fields["scope"]


# --- organisers and members on the day --------------------------------------------------------------------------------


class AnnouncementForm(PlainForm):
    message = forms.CharField(
        label="Message to everyone going",
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="They'll get it as a notification. For example, a change of room or what to bring.",
    )


class AttendeeSearchForm(PlainForm):
    q = forms.CharField(
        label="Find someone",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class SelfCheckInForm(PlainForm):
    code = forms.CharField(
        label="Check-in code",
        max_length=20,
        help_text="It's on the organiser's screen: 6 letters and numbers.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "code-input"}),
    )


class PulseForm(PlainForm):
    feeling = forms.TypedChoiceField(
        label="How are you feeling?",
        choices=[(number, f"{number} – {words}") for number, words in FEELING_WORDS.items()],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "big-choice"}),
    )
    connected = forms.ChoiceField(
        label="Did you connect with someone new?",
        choices=PulseConnection.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "big-choice"}),
    )
    note = forms.CharField(
        label="Anything you'd like to tell the organisers? (optional)",
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only the organisers see this.",
    )
