"""Wellbeing pages in the "Me" area: the check-in, my check-ins (with delete), consent to count in programme figures,
and the invitation switch. The same services as the REST API (community.services.wellbeing)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from community import permissions, reference, scoring
from community.errors import DomainError
from community.selectors.wellbeing import checkins_for_user
from community.services.wellbeing import (
    ANSWER_KEYS,
    checkin_delete,
    checkin_record,
    consent_current,
    consent_set,
    wellbeing_settings_for,
    wellbeing_settings_set,
)


def _sections(chosen: dict) -> list[dict]:
    """The three short parts of the check-in, each question with its answers and which one is chosen."""

    def question(key: str, text: str, answers, **extra) -> dict:
        picked = str(chosen.get(key, ""))
        return {
            "key": key,
            "text": text,
            "answers": [
                {"value": str(value), "label": label, "chosen": picked == str(value)} for value, label in answers
            ],
            **extra,
        }

    feelings = [
        question(f"swemwbs_{item['position']}", item["statement"], item["answers"])
        for item in reference.swemwbs_items()
    ]
    life = [
        question(
            f"ons_{q['key']}",
            q["question"],
            [(value, str(value)) for value in range(q["low"], q["high"] + 1)],
            scale=True,
            low_label=q["low_label"],
            high_label=q["high_label"],
            low=q["low"],
            high=q["high"],
        )
        for q in reference.ons4_questions()
    ]
    connection = [
        question("lonely_direct" if q["key"] == "direct" else q["key"], q["question"], q["answers"])
        for q in reference.loneliness_questions()
    ]
    return [
        {
            "id": "feelings",
            "title": "How you've been feeling",
            "intro": "Here are some statements about feelings and thoughts. Choose the answer that best describes "
            f"your experience of each over {reference.SWEMWBS_PERIOD}.",
            "questions": feelings,
        },
        {
            "id": "life",
            "title": "Your life at the moment",
            "intro": "Four questions about your life. There are no right or wrong answers.",
            "questions": life,
        },
        {
            "id": "connection",
            "title": "Feeling connected",
            "intro": "A few questions about time with other people. Lots of people feel lonely sometimes.",
            "questions": connection,
        },
    ]


@login_required
def checkin_new(request):
    permissions.require_record_wellbeing(request.user)
    chosen: dict = {}
    status = 200
    if request.method == "POST":
        chosen = {key: request.POST.get(key, "") for key in ANSWER_KEYS}
        try:
            checkin_record(actor=request.user, answers=chosen)
        except DomainError as error:
            messages.error(request, error.detail)
            status = error.status
        else:
            messages.success(request, "Thank you. Your check-in is saved, and only you can see it.")
            return redirect("community:wellbeing-checkins")
    return render(
        request,
        "community/wellbeing/checkin.html",
        {
            "sections": _sections(chosen),
            "licence": scoring.SWEMWBS_LICENCE,
            "consents": _consents(request.user),
        },
        status=status,
    )


def _consents(user) -> bool:
    answer = consent_current(user=user)
    return bool(answer and answer.consents)


def _checkin_rows(user) -> list[dict]:
    rows = []
    ons = reference.ons4_questions()
    direct_labels = dict(next(q for q in reference.loneliness_questions() if q["key"] == "direct")["answers"])
    for checkin in checkins_for_user(user=user):
        answered_ons = [
            {"question": q["question"], "value": getattr(checkin, f"ons_{q['key']}")}
            for q in ons
            if getattr(checkin, f"ons_{q['key']}") is not None
        ]
        rows.append(
            {
                "checkin": checkin,
                "ons": answered_ons,
                "lonely_direct": direct_labels.get(checkin.lonely_direct, ""),
            }
        )
    return rows


@login_required
def checkin_list(request):
    permissions.require_record_wellbeing(request.user)
    return render(
        request,
        "community/wellbeing/list.html",
        {
            "rows": _checkin_rows(request.user),
            "licence": scoring.SWEMWBS_LICENCE,
            "settings_row": wellbeing_settings_for(user=request.user),
            "consents": _consents(request.user),
        },
    )


@login_required
def checkin_delete_page(request, checkin_id: int):
    """A confirmation step first; deleting happens only on POST."""
    checkin = permissions.access_own_checkin(user=request.user, checkin_id=checkin_id)
    if request.method == "POST":
        try:
            checkin_delete(actor=request.user, checkin_id=checkin.pk)
        except DomainError as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, "That check-in is deleted for good.")
        return redirect("community:wellbeing-checkins")
    return render(request, "community/wellbeing/delete.html", {"checkin": checkin})


@login_required
def consent_page(request):
    permissions.require_record_wellbeing(request.user)
    if request.method == "POST":
        answer = request.POST.get("consents")
        if answer not in ("yes", "no"):
            messages.error(request, "Choose yes or no, then save.")
        else:
            consent_set(actor=request.user, consents=answer == "yes")
            messages.success(
                request,
                "Saved. Your answers will count anonymously in programme figures from now on."
                if answer == "yes"
                else "Saved. Your answers won't count in programme figures made from now on.",
            )
            return redirect("community:wellbeing-consent")
    current = consent_current(user=request.user)
    return render(
        request,
        "community/wellbeing/consent.html",
        {"current": current, "consents": bool(current and current.consents)},
    )


@login_required
@require_POST
def invitations_switch(request):
    wanted = request.POST.get("invitations_on")
    if wanted not in ("on", "off"):
        messages.error(request, "Choose on or off.")
    else:
        wellbeing_settings_set(actor=request.user, invitations_on=wanted == "on")
        messages.success(
            request,
            "Check-in invitations are on. We'll ask gently, now and then."
            if wanted == "on"
            else "Check-in invitations are off. You can still check in whenever you like.",
        )
    return redirect("community:wellbeing-checkins")


urlpatterns = [
    path("me/wellbeing/check-in/", checkin_new, name="wellbeing-checkin"),
    path("me/wellbeing/check-ins/", checkin_list, name="wellbeing-checkins"),
    path("me/wellbeing/check-ins/<int:checkin_id>/delete/", checkin_delete_page, name="wellbeing-checkin-delete"),
    path("me/wellbeing/invitations/", invitations_switch, name="wellbeing-invitations"),
    path("me/consent/", consent_page, name="wellbeing-consent"),
]
