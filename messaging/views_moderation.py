"""Moderators' pages, built for a phone: the queue, an item with its context and action buttons, a person's
moderation history, and the audit log (with CSV download).

Thin: every page is for moderators and staff (messaging.permissions.require_moderator, refused with the site's error
page), reads through messaging.selectors_moderation and writes through the same services as the REST API. Forms post
back and return to the page they came from with a short message saying what happened.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from community.errors import DomainError, NotFound
from community.models import Membership, User
from community.services.notifications import is_local_path
from community.services.safeguarding import (
    ConcernOutcome,
    safeguarding_concern_claim,
    safeguarding_concern_resolve,
)
from messaging import permissions
from messaging import selectors_moderation as moderation
from messaging.api_moderation import audit_csv_response, sanction_create
from messaging.models import CaseOutcome, SanctionKind
from messaging.services.moderation.actions import (
    held_message_approve,
    held_message_reject,
    message_hide,
    message_remove,
    message_restore,
)
from messaging.services.moderation.case_review import case_claim, case_release, case_resolve, moderator_note_add
from messaging.services.moderation.sanctions import MUTE_MINUTES_MAX, SUSPEND_HOURS_MAX, sanction_lift

AUDIT_PER_PAGE = 50
QUEUE_TABS = [
    ("all", "Everything"),
    ("safeguarding", "Safeguarding"),
    ("mine", "Mine"),
    ("unclaimed", "Nobody's yet"),
]
MESSAGE_ACTION_DONE = {
    "hide": "Hidden. Everyone now sees “Removed by a moderator”.",
    "restore": "Restored. Everyone can see it again.",
    "remove": "Removed for good. The words are kept for the record.",
    "approve": "Approved. Everyone in the chat can see it now.",
    "reject": "Turned down. Nobody else will see it.",
}


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AuditFilterForm(_Form):
    actor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Who did it", empty_label="Anyone"
    )
    person = forms.IntegerField(required=False, min_value=1, label="About person (their number)")
    action = forms.ChoiceField(required=False, label="Action")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = User.objects.filter(site_role__in=("moderator", "staff")).order_by(
            "display_name"
        )
        actions = moderation.audit_actions_known()
        prefixes = sorted({action.split(".")[0] + "." for action in actions})
        self.fields["action"].choices = [
            ("", "Any action"),
            ("Kinds", [(prefix, f"Any {prefix[:-1]} action") for prefix in prefixes]),
            ("Actions", [(action, action) for action in actions]),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def filters(self) -> moderation.AuditFilters:
        data = self.cleaned_data
        return moderation.AuditFilters(
            actor_id=data["actor"].pk if data.get("actor") else None,
            person_id=data.get("person"),
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


# --- helpers ----------------------------------------------------------------------------------------------------------


def _back(request, fallback: str):
    """Back to `next` when it is a path on this site (never another site, nor this one by plain http)."""
    target = request.POST.get("next", "")
    if is_local_path(target) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _person_groups(person: User | None) -> list:
    if person is None:
        return []
    return [
        membership.group
        for membership in Membership.objects.active()
        .filter(user=person)
        .select_related("group")
        .order_by("group__name")
    ]


def _action_context(request, *, person: User | None, room_id: int | None, case_id: int | None) -> dict:
    """What the action buttons need: the sanction choices, limits, and where to come back to."""
    return {
        "next": request.get_full_path(),
        "sanction_person": person,
        "sanction_room_id": room_id,
        "sanction_case_id": case_id,
        "sanction_groups": _person_groups(person),
        "can_sanction": person is not None and permissions.sanction_refusal(request.user, person) is None,
        "mute_minutes_max": MUTE_MINUTES_MAX,
        "suspend_hours_max": SUSPEND_HOURS_MAX,
        "duration_choices": [(15, "15 minutes"), (60, "1 hour"), (24 * 60, "1 day"), (7 * 24 * 60, "1 week")],
        "suspend_choices": [(24, "1 day"), (72, "3 days"), (7 * 24, "1 week"), (30 * 24, "30 days")],
    }


# --- the queue --------------------------------------------------------------------------------------------------------


@login_required
def queue(request):
    permissions.require_moderator(request.user)
    chosen = request.GET.get("filter", "all")
    result = moderation.moderation_queue(viewer=request.user, chosen=chosen)
    items = [
        {
            "item": item,
            "url": reverse(
                "messaging:moderation-case" if item.kind == "case" else "messaging:moderation-concern", args=[item.id]
            ),
            "overdue": item.is_overdue(),
        }
        for item in result.items
    ]
    tabs = [(key, label, result.counts[key]) for key, label in QUEUE_TABS]
    return render(request, "messaging/moderation/queue.html", {"items": items, "tabs": tabs, "chosen": result.chosen})


# --- one case ---------------------------------------------------------------------------------------------------------


@login_required
def case_page(request, case_id: int):
    permissions.require_moderator(request.user)
    detail = moderation.case_detail(case_id=case_id)
    if detail is None:
        raise NotFound("We couldn't find that case.", code="case_not_found")
    case = detail.case
    context = {
        "detail": detail,
        "case": case,
        "outcomes": CaseOutcome.choices,
        **_action_context(request, person=case.subject, room_id=case.room_id, case_id=case.pk),
    }
    return render(request, "messaging/moderation/case.html", context)


@login_required
@require_POST
def case_change(request, case_id: int, action: str):
    permissions.require_moderator(request.user)
    here = reverse("messaging:moderation-case", args=[case_id])
    try:
        if action in ("claim", "take-over"):
            case_claim(actor=request.user, case_id=case_id, take_over=action == "take-over")
            messages.success(request, "It's yours. Other moderators can see you're handling it.")
        elif action == "release":
            case_release(actor=request.user, case_id=case_id)
            messages.success(request, "Back in the queue for anyone.")
        elif action == "resolve":
            case_resolve(
                actor=request.user,
                case_id=case_id,
                outcome=request.POST.get("outcome", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, "Resolved. Anyone who reported it has been told the outcome.")
            return redirect("messaging:moderation-queue")
        else:
            raise NotFound("There's no such action.", code="not_found")
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect(here)


# --- one safeguarding concern -----------------------------------------------------------------------------------------


@login_required
def concern_page(request, concern_id: int):
    permissions.require_moderator(request.user)
    detail = moderation.concern_detail(concern_id=concern_id)
    if detail is None:
        raise NotFound("We couldn't find that safeguarding concern.", code="concern_not_found")
    context = {
        "detail": detail,
        "concern": detail.concern,
        "outcomes": ConcernOutcome.choices,
        **_action_context(
            request,
            person=detail.concern.person,
            room_id=detail.message.room_id if detail.message else None,
            case_id=None,
        ),
    }
    return render(request, "messaging/moderation/concern.html", context)


@login_required
@require_POST
def concern_change(request, concern_id: int, action: str):
    permissions.require_moderator(request.user)
    try:
        if action == "claim":
            safeguarding_concern_claim(actor=request.user, concern_id=concern_id)
            messages.success(request, "It's yours. Other moderators can see you're handling it.")
        elif action == "resolve":
            safeguarding_concern_resolve(
                actor=request.user,
                concern_id=concern_id,
                outcome=request.POST.get("outcome", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, "Resolved and recorded. Thank you for looking after them.")
            return redirect("messaging:moderation-queue")
        else:
            raise NotFound("There's no such action.", code="not_found")
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect("messaging:moderation-concern", concern_id=concern_id)


# --- messages, sanctions, notes ---------------------------------------------------------------------------------------


@login_required
@require_POST
def message_action(request, message_id: int, action: str):
    permissions.require_moderator(request.user)
    reason = request.POST.get("reason", "")
    services = {
        "hide": lambda: message_hide(actor=request.user, message_id=message_id, reason=reason),
        "restore": lambda: message_restore(actor=request.user, message_id=message_id, reason=reason),
        "remove": lambda: message_remove(actor=request.user, message_id=message_id, reason=reason),
        "approve": lambda: held_message_approve(actor=request.user, message_id=message_id),
        "reject": lambda: held_message_reject(actor=request.user, message_id=message_id, reason=reason),
    }
    if action not in services:
        raise NotFound("There's no such action.", code="not_found")
    try:
        services[action]()
        messages.success(request, MESSAGE_ACTION_DONE[action])
    except DomainError as error:
        messages.error(request, error.detail)
    return _back(request, reverse("messaging:moderation-queue"))


def _whole_number(value: str):
    """A form's number as an int when it is one; anything else goes to the service as it is (`invalid_duration`)."""
    value = (value or "").strip()
    return int(value) if value.isdecimal() else value  # not isdigit(): int("²") fails


@login_required
@require_POST
def sanction_add(request):
    permissions.require_moderator(request.user)
    post = request.POST
    fields = {
        "kind": post.get("kind", ""),
        "user_id": _whole_number(post.get("user_id")),
        "reason": post.get("reason", ""),
        "case_id": _whole_number(post.get("case_id")) or None,
        "room_id": _whole_number(post.get("room_id")) or None,
        "group_slug": post.get("group_slug", ""),
        "minutes": _whole_number(post.get("minutes")),
        "hours": None if post.get("hours") == "until_lifted" else _whole_number(post.get("hours")),
    }
    try:
        sanction = sanction_create(actor=request.user, fields=fields)
        messages.success(request, f"Done: {SanctionKind(sanction.kind).label.lower()}. They've been told kindly.")
    except DomainError as error:
        messages.error(request, error.detail)
    return _back(request, reverse("messaging:moderation-queue"))


@login_required
@require_POST
def sanction_lift_page(request, sanction_id: int):
    permissions.require_moderator(request.user)
    try:
        sanction_lift(actor=request.user, sanction_id=sanction_id, reason=request.POST.get("reason", ""))
        messages.success(request, "Lifted. They've been told.")
    except DomainError as error:
        messages.error(request, error.detail)
    return _back(request, reverse("messaging:moderation-queue"))


@login_required
@require_POST
def note_add(request, user_id: int):
    permissions.require_moderator(request.user)
    case_id = _whole_number(request.POST.get("case_id")) or None
    try:
        moderator_note_add(actor=request.user, subject_id=user_id, body=request.POST.get("body", ""), case_id=case_id)
        messages.success(request, "Note saved. Only moderators and staff can read it.")
    except DomainError as error:
        messages.error(request, error.detail)
    return _back(request, reverse("messaging:moderation-person", args=[user_id]))


# --- a person's history -----------------------------------------------------------------------------------------------


@login_required
def person_page(request, user_id: int):
    permissions.require_moderator(request.user)
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise NotFound("We couldn't find that person.", code="person_not_found")
    history = moderation.person_history(person=person)
    context = {
        "person": person,
        "history": history,
        **_action_context(request, person=person, room_id=None, case_id=None),
    }
    return render(request, "messaging/moderation/person.html", context)


# --- the audit log ----------------------------------------------------------------------------------------------------


@login_required
def audit_log(request):
    permissions.require_moderator(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else moderation.AuditFilters()
    entries = moderation.audit_entries(filters=filters)
    if request.GET.get("download") == "csv" and (not form.is_bound or form.is_valid()):
        return audit_csv_response(entries)
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("download", None)
    return render(
        request,
        "messaging/moderation/audit.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


urlpatterns = [
    path("moderation/", queue, name="moderation-queue"),
    path("moderation/cases/<int:case_id>/", case_page, name="moderation-case"),
    path("moderation/cases/<int:case_id>/<slug:action>/", case_change, name="moderation-case-change"),
    path("moderation/concerns/<int:concern_id>/", concern_page, name="moderation-concern"),
    path("moderation/concerns/<int:concern_id>/<slug:action>/", concern_change, name="moderation-concern-change"),
    path("moderation/messages/<int:message_id>/<slug:action>/", message_action, name="moderation-message-action"),
    path("moderation/sanctions/", sanction_add, name="moderation-sanction-add"),
    path("moderation/sanctions/<int:sanction_id>/lift/", sanction_lift_page, name="moderation-sanction-lift"),
    path("moderation/people/<int:user_id>/", person_page, name="moderation-person"),
    path("moderation/people/<int:user_id>/notes/", note_add, name="moderation-note-add"),
    path("moderation/audit/", audit_log, name="moderation-audit"),
]
