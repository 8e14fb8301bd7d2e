"""Forms for the idea pages. They only check shape; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from community.errors import DomainError
from events.models import EventCategory, EventVisibility, RsvpMode
from events.services.ideas import ANSWER_MAX, COMMENT_MAX, REASON_MAX, TITLE_MAX, WHEN_MAX, WHY_MAX

_LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form: next to the field it is about, or at the top.

    Services give field messages as a list or as one string; both are accepted.
    """
    placed = False
    for field, messages in (error.fields or {}).items():
        if field in form.fields:
            for message in [messages] if isinstance(messages, str) else messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.detail)


class IdeaProposeForm(forms.Form):
    title = forms.CharField(
        label="What's your idea?",
        max_length=TITLE_MAX,
        help_text="A few words, like “Pizza and a film” or “Help with CVs”.",
    )
    why = forms.CharField(
        label="Why would it be good? (optional)",
        max_length=WHY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rough_when = forms.CharField(
        label="Roughly when? (optional)",
        max_length=WHEN_MAX,
        required=False,
        help_text="For example “a Saturday afternoon” or “before Christmas”.",
    )


class IdeaCommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Be kind. Up to {COMMENT_MAX} characters.",
    )


class IdeaAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Everyone who proposed or backed the idea will see it.",
    )


class IdeaCloseForm(forms.Form):
    reason = forms.CharField(
        label="Why is it closing?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A short, kind reason. People who backed the idea will be told.",
    )


class IdeaToEventForm(forms.Form):
    """The details a new event needs. Passed to the events service as they are."""

    title = forms.CharField(label="Event name", max_length=120)
    description = forms.CharField(
        label="What will happen?", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    category = forms.ChoiceField(label="Kind of event", choices=EventCategory.choices)
    starts_at = forms.DateTimeField(label="Starts", widget=_LOCAL_DATETIME, help_text="UK time.")
    ends_at = forms.DateTimeField(label="Ends", widget=_LOCAL_DATETIME, help_text="UK time.")
    is_online = forms.BooleanField(label="It's online", required=False)
    area = forms.CharField(
        label="Roughly where", required=False, max_length=120, help_text="Shown to everyone who can see the event."
    )
    venue_address = forms.CharField(
        label="Exact address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only people going will see this.",
    )
    joining_link = forms.URLField(
        label="Joining link (for online events)",
        required=False,
        assume_scheme="https",
        help_text="Only people going will see this.",
    )
    accessibility_info = forms.CharField(
        label="Accessibility", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    capacity = forms.IntegerField(
        label="How many places? (optional)", required=False, min_value=1, help_text="Leave empty for no limit."
    )
    rsvp_mode = forms.ChoiceField(label="Saying you're going", choices=RsvpMode.choices, initial=RsvpMode.OPEN)
    visibility = forms.ChoiceField(
        label="Who can see it", choices=EventVisibility.choices, initial=EventVisibility.GROUP
    )

    def event_fields(self) -> dict:
        return dict(self.cleaned_data)
