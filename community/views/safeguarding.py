"""Safeguarding pages: the support page (anyone), the crisis phrase list with its test box (moderators and staff),
and the support contacts editor (staff)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from community import permissions
from community.errors import DomainError
from community.models import CrisisCategory
from community.selectors.safeguarding import (
    crisis_phrases,
    support_contacts,
    support_contacts_all,
)
from community.services.safeguarding import (
    crisis_explain,
    safeguarding_phrase_add,
    safeguarding_phrase_remove,
    safeguarding_phrase_update,
    support_contact_remove,
    support_contact_save,
)


def support(request):
    """Open to everyone, signed in or not: the contacts are public services, and someone locked out may need them."""
    return render(request, "community/safeguarding/support.html", {"contacts": support_contacts()})


class PhraseForm(forms.Form):
    phrase = forms.CharField(max_length=120, help_text="End with * to match any ending, for example cut*.")
    category = forms.ChoiceField(choices=CrisisCategory.choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class TestTextForm(forms.Form):
    text = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label="Test this text", required=False
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def phrase_list(request):
    _require(permissions.can_edit_crisis_phrases(request.user))
    add_form = PhraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and add_form.is_valid():
        try:
            safeguarding_phrase_add(actor=request.user, **add_form.cleaned_data)
        except DomainError as error:
            add_form.add_error("phrase", error.detail)
        else:
            messages.success(request, f"Added \u201c{add_form.cleaned_data['phrase']}\u201d.")
            return redirect("community:safeguarding-phrases")
    test_form = TestTextForm(request.GET or None)
    explained = None
    if test_form.is_valid() and test_form.cleaned_data["text"]:
        explained = crisis_explain(text=test_form.cleaned_data["text"])
    category = request.GET.get("category", "")
    if category not in CrisisCategory.values:
        category = ""
    return render(
        request,
        "community/safeguarding/phrases.html",
        {
            "add_form": add_form,
            "test_form": test_form,
            "explained": explained,
            "phrases": crisis_phrases(category=category),
            "categories": CrisisCategory.choices,
            "category": category,
        },
    )


@login_required
@require_POST
def phrase_change(request, phrase_id: int):
    _require(permissions.can_edit_crisis_phrases(request.user))
    try:
        if request.POST.get("action") == "remove":
            safeguarding_phrase_remove(actor=request.user, phrase_id=phrase_id)
            messages.success(request, "Removed from the list.")
        else:
            row = safeguarding_phrase_update(
                actor=request.user, phrase_id=phrase_id, is_active=request.POST.get("is_active") == "1"
            )
            messages.success(request, f"\u201c{row.phrase}\u201d is {'on' if row.is_active else 'off'}.")
    except DomainError as error:
        messages.error(request, error.detail)
    return redirect("community:safeguarding-phrases")


class ContactForm(forms.Form):
    service = forms.CharField(max_length=120)
    contact = forms.CharField(max_length=200, help_text="For example: Call 116 123 (free).")
    when = forms.CharField(max_length=200, required=False, help_text="For example: 24 hours a day, every day.")
    who = forms.CharField(max_length=200, required=False, help_text="For example: Everyone, or Under 19s.")
    position = forms.IntegerField(min_value=0, max_value=1000, initial=0, help_text="Lower numbers show first.")
    is_active = forms.BooleanField(required=False, initial=True, label="Show this contact")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


@login_required
def contact_list(request):
    _require(permissions.can_edit_support_contacts(request.user))
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_id = _int(request.POST.get("contact_id"))
            support_contact_save(actor=request.user, contact_id=contact_id, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, "Saved. This is what people see from now on.")
            return redirect("community:support-contacts")
    return render(request, "community/safeguarding/contacts.html", {"form": form, "contacts": support_contacts_all()})


@login_required
@require_POST
def contact_remove(request, contact_id: int):
    _require(permissions.can_edit_support_contacts(request.user))
    support_contact_remove(actor=request.user, contact_id=contact_id)
    messages.success(request, "Removed.")
    return redirect("community:support-contacts")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


urlpatterns = [
    path("support/", support, name="support"),
    path("safeguarding/phrases/", phrase_list, name="safeguarding-phrases"),
    path("safeguarding/phrases/<int:phrase_id>/", phrase_change, name="safeguarding-phrase-change"),
    path("safeguarding/contacts/", contact_list, name="support-contacts"),
    path("safeguarding/contacts/<int:contact_id>/remove/", contact_remove, name="support-contact-remove"),
]
