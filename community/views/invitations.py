"""Invitation pages: see your codes, make a new one, cancel one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from community import permissions
from community.errors import DomainError
from community.forms_accounts import InvitationCreateForm, add_domain_error
from community.selectors.invitations import (
    invitation_group_choices,
    invitation_signup_url,
    invitations_visible_to,
)
from community.services.invitations import invitation_create, invitation_revoke

STATUS_WORDS = {
    "active": "Ready to use",
    "expired": "Expired",
    "used_up": "All used",
    "revoked": "Cancelled",
}


def _describe(request, invitation) -> dict:
    return {
        "invitation": invitation,
        "status": invitation.status,
        "status_words": STATUS_WORDS[invitation.status],
        "link": invitation_signup_url(request=request, invitation=invitation),
        "can_revoke": invitation.revoked_at is None and permissions.can_revoke_invitation(request.user, invitation),
    }


def _create_form(request, data=None) -> InvitationCreateForm:
    return InvitationCreateForm(
        data,
        groups=invitation_group_choices(user=request.user),
        allow_no_group=permissions.can_create_invitation(request.user, None),
    )


@login_required
def invitation_list(request):
    form = _create_form(request)
    can_invite = permissions.can_create_invitation(request.user, None) or form.fields["group"].queryset.exists()
    if request.method == "POST" and can_invite:
        form = _create_form(request, request.POST)
        if form.is_valid():
            try:
                invitation = invitation_create(
                    actor=request.user,
                    group=form.cleaned_data["group"],
                    max_uses=form.cleaned_data["max_uses"],
                    expires_in_days=form.cleaned_data["expires_in_days"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"Your new code is {invitation.code}. Share it with the person you invite.")
                return redirect("community:invitation-detail", invitation_id=invitation.pk)

    page = Paginator(invitations_visible_to(user=request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "community/invitations/list.html",
        {
            "form": form,
            "can_invite": can_invite,
            "page": page,
            "rows": [_describe(request, invitation) for invitation in page.object_list],
        },
    )


@login_required
def invitation_detail(request, invitation_id: int):
    invitation = permissions.access_invitation(user=request.user, invitation_id=invitation_id)
    return render(request, "community/invitations/detail.html", _describe(request, invitation))


@login_required
@require_POST
def invitation_revoke_view(request, invitation_id: int):
    invitation = permissions.access_invitation(user=request.user, invitation_id=invitation_id)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"Code {invitation.code} is cancelled. Nobody can use it now.")
    return redirect("community:invitation-list")


urlpatterns = [
    path("invitations/", invitation_list, name="invitation-list"),
    path("invitations/<int:invitation_id>/", invitation_detail, name="invitation-detail"),
    path("invitations/<int:invitation_id>/revoke/", invitation_revoke_view, name="invitation-revoke"),
]
