"""Reporting pages: report a message, a person or an event (a reason, an optional note, reassuring words), the thank
you that follows, and "My reports". Thin: the same services and selectors as the REST API (messaging/api_reports.py).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from community.errors import DomainError
from community.selectors.personal_controls import control_state
from messaging import selectors_reports
from messaging.models import ReportReason
from messaging.models_moderation import MEMBER_REASONS
from messaging.services.moderation import reports

REPORTS_PER_PAGE = 25

# The reasons in plain words, in the order a member sees them.
REASON_CHOICES = [
    (ReportReason.BULLYING.value, "Bullying or harassment"),
    (ReportReason.HATE.value, "Hate: picking on someone for who they are"),
    (ReportReason.SEXUAL.value, "Sexual content"),
    (ReportReason.SELF_HARM.value, "Someone might hurt themselves, or is at risk"),
    (ReportReason.PERSONAL_INFO.value, "Sharing someone's personal information, like an address or phone number"),
    (ReportReason.SPAM.value, "Spam or adverts"),
    (ReportReason.OTHER.value, "Something else"),
]
assert [value for value, _ in REASON_CHOICES] == [reason.value for reason in MEMBER_REASONS]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What's wrong?",
        choices=REASON_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose the reason that fits best. \u201cSomething else\u201d is fine."},
    )
    note = forms.CharField(
        label="Anything you'd like to add (optional)",
        required=False,
        max_length=reports.NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Up to {reports.NOTE_MAX_CHARS:,} characters. Only moderators will read it.",
        error_messages={"max_length": f"The note can be up to {reports.NOTE_MAX_CHARS:,} characters."},
    )


def _message_target(request, message_id: int) -> dict:
    message = reports.reportable_message(actor=request.user, message_id=message_id)
    author = message.author
    return {
        "kind": "message",
        "heading": "Report a message",
        "describe": f"a message from {author.display_name}" if author else "a message",
        "excerpt": message.body[:200] if not (message.is_deleted or message.is_hidden) else "",
        "back_url": f"{reverse('messaging:room', args=[message.room_id])}#message-{message.pk}",
        "back_label": "Back to the chat",
        "person": author,
        "send": lambda reason, note: reports.report_message(
            actor=request.user, message_id=message.pk, reason=reason, note=note
        ),
    }


def _person_target(request, user_id: int) -> dict:
    person = reports.reportable_person(actor=request.user, user_id=user_id)
    return {
        "kind": "person",
        "heading": f"Report {person.display_name}",
        "describe": person.display_name,
        "excerpt": "",
        "back_url": reverse("community:person-detail", args=[person.pk]),
        "back_label": f"Back to {person.display_name}'s profile",
        "person": person,
        "send": lambda reason, note: reports.report_person(
            actor=request.user, user_id=person.pk, reason=reason, note=note
        ),
    }


def _event_target(request, event_id: int) -> dict:
    event = reports.reportable_event(actor=request.user, event_id=event_id)
    return {
        "kind": "event",
        "heading": "Report an event",
        "describe": f"the event \u201c{event.title}\u201d",
        "excerpt": "",
        "back_url": reverse("events:event-detail", args=[event.pk]),
        "back_label": "Back to the event",
        "person": None,
        "send": lambda reason, note: reports.report_event(
            actor=request.user, event_id=event.pk, reason=reason, note=note
        ),
    }


TARGETS = {"message": _message_target, "person": _person_target, "event": _event_target}


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request, kind: str, target_id: int):
    target = TARGETS[kind](request, target_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = target["send"](form.cleaned_data["reason"], form.cleaned_data["note"])
        except DomainError as error:
            form.add_error("note" if error.code == "note_too_long" else None, error.detail)
        else:
            person = target["person"]
            return render(
                request,
                "messaging/reports/thanks.html",
                {
                    "target": target,
                    "made": made,
                    "support_contacts": list(selectors_reports.support_contacts())
                    if form.cleaned_data["reason"] == ReportReason.SELF_HARM
                    else [],
                    "person": person,
                    "controls": control_state(viewer=request.user, person=person) if person else None,
                    "here": target["back_url"],
                },
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/reports/form.html", {"target": target, "form": form}, status=status)


@login_required
@require_GET
def my_reports_page(request):
    page = Paginator(selectors_reports.my_reports(user=request.user), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [selectors_reports.my_report_payload(report) for report in page]
    return render(request, "messaging/reports/mine.html", {"page": page, "rows": rows})


urlpatterns = [
    path("report/message/<int:target_id>/", report_page, {"kind": "message"}, name="report-message"),
    path("report/person/<int:target_id>/", report_page, {"kind": "person"}, name="report-person"),
    path("report/event/<int:target_id>/", report_page, {"kind": "event"}, name="report-event"),
    path("me/reports/", my_reports_page, name="my-reports"),
]
