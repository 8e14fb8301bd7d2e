"""Deleting my account (/me/data/delete/) and the goodbye page after it (/goodbye/). The same service as the API
and the admin action: community.services.erasure.account_erase."""

from __future__ import annotations

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from community.errors import DomainError
from community.forms_accounts import KindForm, add_domain_error
from community.personal_data import OnErasure, personal_data_sections
from community.selectors.safeguarding import support_contacts
from community.services.erasure import account_erase

# What happens to each kind of data, in the order the page explains it.
ERASURE_HEADINGS = [
    (OnErasure.ERASED, "Deleted"),
    (OnErasure.TEXT_ERASED, "The words are deleted"),
    (OnErasure.ANONYMISED, "Kept only as a number, without your name"),
    (OnErasure.KEPT_FOR_SAFEGUARDING, "Kept for a while to keep people safe, then deleted"),
]


class AccountDeleteForm(KindForm):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="So we know it's really you.",
    )
    confirm = forms.BooleanField(
        label="I understand this can't be undone",
        error_messages={"required": "Please tick the box to say you understand this can't be undone."},
    )


def erasure_explained() -> list[dict]:
    """Each kind of outcome with the sections it applies to, for the page."""
    sections = personal_data_sections()
    return [
        {"heading": heading, "means": outcome, "sections": [s for s in sections if s.on_erasure == outcome]}
        for outcome, heading in ERASURE_HEADINGS
    ]


@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_erase(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["password"],
                confirmed=form.cleaned_data["confirm"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            logout(request)
            return redirect("community:account-deleted")
    return render(request, "community/data/delete.html", {"form": form, "explained": erasure_explained()})


@require_GET
def account_deleted(request):
    return render(request, "community/data/goodbye.html", {"contacts": support_contacts()})


urlpatterns = [
    path("me/data/delete/", account_delete, name="account-delete"),
    path("goodbye/", account_deleted, name="account-deleted"),
]
