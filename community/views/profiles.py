"""Pages about people: my profile and privacy, someone's profile, their picture, and the staff list of everyone."""

from __future__ import annotations

import mimetypes

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import permissions
from community.errors import DomainError, NotFound
from community.models import DirectMessagePolicy, ProfileVisibility, SiteRole, User
from community.selectors.people import avatar_for_viewer, people_for_staff, profile_for_viewer
from community.selectors.personal_controls import control_state
from community.services.profiles import (
    BIO_MAX,
    INTERESTS_MAX,
    age_band_turned_18,
    avatar_remove,
    avatar_set,
    privacy_update,
    profile_update,
)
from community.services.roles import user_set_safeguarding_lead, user_set_site_role

STAFF_PEOPLE_PER_PAGE = 50

# Which form field a service refusal belongs to, so the message shows next to the right box.
_FIELD_FOR_CODE = {
    "display_name_taken": "display_name",
    "invalid_display_name": "display_name",
    "invalid_real_name": "real_name",
    "invalid_pronouns": "pronouns",
    "bio_too_long": "bio",
    "invalid_interests": "interests",
    "unsupported_image": "avatar",
    "image_too_large": "avatar",
    "image_too_many_pixels": "avatar",
    "image_unreadable": "avatar",
    "not_allowed_under_18": "profile_visibility",
}


def _url_or(name: str, fallback: str, *args) -> str:
    """Link to a page another area builds, even before its URL name exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _show_error_on_form(form: forms.Form, error: DomainError) -> None:
    field = _FIELD_FOR_CODE.get(error.code)
    form.add_error(field if field in form.fields else None, error.detail)


# --- My profile -----------------------------------------------------------------------------


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        max_length=40,
        help_text="The name other people see. It doesn't have to be your real name.",
        error_messages={
            "required": "Please choose a display name. A nickname is fine.",
            "max_length": "Your display name can be up to 40 characters.",
        },
    )
    pronouns = forms.CharField(
        required=False, max_length=40, help_text="For example she/her, he/him or they/them. You can leave this blank."
    )
    bio = forms.CharField(
        label="About me",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"A few words about you, if you'd like to share. Up to {BIO_MAX} characters.",
    )
    interests = forms.CharField(
        required=False,
        help_text=f"Things you enjoy, with a comma between each one. Up to {INTERESTS_MAX}. "
        "For example: football, drawing, cooking.",
    )
    real_name = forms.CharField(
        required=False,
        help_text="You don't have to add this. Only staff can see it, and it helps them support you.",
    )
    avatar = forms.FileField(
        label="Profile picture",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = max(1, round(settings.HN_AVATAR_MAX_BYTES / (1024 * 1024)))
        self.fields["avatar"].help_text = (
            f"Optional. A JPEG, PNG or WebP picture up to {megabytes} MB. "
            "We remove hidden details, like where it was taken, before we save it."
        )

    def clean_interests(self) -> list[str]:
        return [tag for tag in self.cleaned_data["interests"].split(",") if tag.strip()]


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    user = User.objects.select_related("profile").get(pk=request.user.pk)
    profile = user.profile
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    profile_update(
                        actor=request.user,
                        user=user,
                        display_name=data["display_name"],
                        pronouns=data["pronouns"],
                        bio=data["bio"],
                        interests=data["interests"],
                        real_name=data["real_name"],
                    )
                    if data.get("avatar"):
                        avatar_set(actor=request.user, user=user, upload=data["avatar"])
            except DomainError as error:
                _show_error_on_form(form, error)
            else:
                messages.success(request, "Your profile is saved.")
                return redirect("community:profile-edit")
    else:
        form = ProfileForm(
            initial={
                "display_name": user.display_name,
                "pronouns": profile.pronouns,
                "bio": profile.bio,
                "interests": ", ".join(profile.interests),
                "real_name": user.real_name,
            }
        )
    return render(
        request,
        "community/profiles/edit.html",
        {
            "form": form,
            "person": user,
            "password_change_url": _url_or("community:password-change", "/me/password/"),
            "notification_settings_url": _url_or("community:notification-settings", "/notifications/settings/"),
        },
    )


@login_required
@require_POST
def avatar_remove_view(request):
    try:
        avatar_remove(actor=request.user, user=request.user)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Your picture is removed.")
    return redirect("community:profile-edit")


# --- Privacy --------------------------------------------------------------------------------

_VISIBILITY_EXPLANATIONS = {
    ProfileVisibility.CO_MEMBERS: "Only people who are in a group with you can see your profile.",
    ProfileVisibility.ALL_MEMBERS: "Anyone who has joined Here and Now can see your profile.",
}
_UNDER_18_EXPLANATION = (
    "Not available while you're under 18. Only people in your groups can see your profile, to help keep you safe."
)
_DIRECT_MESSAGE_EXPLANATIONS = {
    DirectMessagePolicy.REQUESTS: "People who share a group with you can ask to message you. "
    "Nothing arrives until you say yes.",
    DirectMessagePolicy.OFF: "Nobody can start a new conversation with you. Staff and moderators can still "
    "get in touch if they need to.",
}


class ExplainedRadioSelect(forms.RadioSelect):
    """Radio buttons with one plain sentence under each choice; some choices can be shown but switched off."""

    option_template_name = "community/profiles/_explained_radio_option.html"

    def __init__(self, *, explanations: dict[str, str], disabled: frozenset[str] = frozenset(), **kwargs):
        super().__init__(**kwargs)
        self.explanations = explanations
        self.disabled = disabled

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["explanation"] = self.explanations.get(value, "")
        if option["explanation"] and option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_explanation"
        if value in self.disabled:
            option["attrs"]["disabled"] = True
        return option


class PrivacyForm(forms.Form):
    profile_visibility = forms.ChoiceField(
        label="Who can see my profile",
        choices=ProfileVisibility.choices,
        help_text="Staff and moderators can always see profiles, to help keep everyone safe.",
    )
    show_online = forms.BooleanField(
        label="Show people when I'm online",
        required=False,
        help_text="When this is on, people who can see your profile can tell when you're here. "
        "It stays off unless you turn it on.",
    )
    direct_messages = forms.ChoiceField(
        label="Who can send me direct messages",
        choices=DirectMessagePolicy.choices,
        widget=ExplainedRadioSelect(explanations=_DIRECT_MESSAGE_EXPLANATIONS),
    )

    def __init__(self, *args, under_18: bool, **kwargs):
        super().__init__(*args, **kwargs)
        explanations = dict(_VISIBILITY_EXPLANATIONS)
        disabled: frozenset[str] = frozenset()
        if under_18:
            explanations[ProfileVisibility.ALL_MEMBERS] = _UNDER_18_EXPLANATION
            disabled = frozenset({ProfileVisibility.ALL_MEMBERS.value})
        self.fields["profile_visibility"].widget = ExplainedRadioSelect(explanations=explanations, disabled=disabled)
        self.fields["profile_visibility"].choices = ProfileVisibility.choices


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings(request):
    user = User.objects.select_related("profile").get(pk=request.user.pk)
    profile = user.profile
    status = 200
    if request.method == "POST":
        form = PrivacyForm(request.POST, under_18=user.is_under_18)
        if form.is_valid():
            try:
                privacy_update(actor=request.user, user=user, **form.cleaned_data)
            except DomainError as error:
                _show_error_on_form(form, error)
                status = error.status
            else:
                messages.success(request, "Your privacy settings are saved.")
                return redirect("community:privacy-settings")
    else:
        form = PrivacyForm(
            under_18=user.is_under_18,
            initial={
                "profile_visibility": profile.profile_visibility,
                "show_online": profile.show_online,
                "direct_messages": profile.direct_messages,
            },
        )
    return render(
        request, "community/profiles/privacy.html", {"form": form, "under_18": user.is_under_18}, status=status
    )


@login_required
@require_POST
def turned_18(request):
    try:
        age_band_turned_18(actor=request.user)
    except DomainError as error:
        messages.info(request, error.detail)
    else:
        messages.success(request, "Happy birthday! You can now choose who sees your profile.")
    return redirect("community:privacy-settings")


# --- People ---------------------------------------------------------------------------------


@login_required
@require_GET
def person_detail(request, user_id: int):
    view = profile_for_viewer(viewer=request.user, user_id=user_id)
    groups = [
        (group, _url_or("community:group-detail", f"/groups/{group.slug}/", group.slug))
        for group in view.groups_in_common
    ]
    controls = control_state(viewer=request.user, person=view.person)
    return render(
        request,
        "community/people/detail.html",
        {"view": view, "person": view.person, "groups": groups, "controls": controls},
    )


@require_GET
def avatar(request, user_id: int):
    """Stream a person's picture to someone allowed to see their profile. Never cached by shared caches."""
    try:
        picture = avatar_for_viewer(viewer=request.user, user_id=user_id)
        handle = picture.open("rb")
    except (NotFound, FileNotFoundError) as exc:
        raise Http404("No picture") from exc
    content_type = mimetypes.guess_type(picture.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    patch_cache_control(response, private=True, max_age=3600)
    patch_vary_headers(response, ["Cookie", "Authorization"])
    return response


# --- Staff: everyone and their roles --------------------------------------------------------


class RoleForm(forms.Form):
    site_role = forms.ChoiceField(label="Role", choices=SiteRole.choices)
    is_safeguarding_lead = forms.BooleanField(
        label="Safeguarding lead", required=False, help_text="Only staff can be a safeguarding lead."
    )


class PeopleSearchForm(forms.Form):
    search = forms.CharField(
        label="Search people",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text="Search by display name, real name or email address.",
    )


@login_required
@require_GET
def staff_people(request):
    search_form = PeopleSearchForm(request.GET)
    search = search_form.cleaned_data["search"] if search_form.is_valid() else ""
    people = people_for_staff(viewer=request.user, search=search)
    page = Paginator(people, STAFF_PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (
            person,
            RoleForm(
                auto_id=f"id_%s_{person.pk}",
                initial={"site_role": person.site_role, "is_safeguarding_lead": person.is_safeguarding_lead},
            ),
        )
        for person in page
    ]
    return render(
        request,
        "community/people/staff_list.html",
        {"search_form": search_form, "search": search, "page": page, "rows": rows},
    )


@login_required
@require_POST
def staff_person_role(request, user_id: int):
    # people_for_staff refuses anyone who isn't staff, before saying whether the person exists.
    person = people_for_staff(viewer=request.user).filter(pk=user_id).first()
    if person is None:
        raise NotFound("We couldn't find that person.", code="person_not_found")
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose one of the roles on the list and try again.")
        return redirect("community:staff-people")
    role = form.cleaned_data["site_role"]
    lead = form.cleaned_data["is_safeguarding_lead"] and role == SiteRole.STAFF
    try:
        with transaction.atomic():
            user_set_site_role(actor=request.user, user=person, role=role)
            user_set_safeguarding_lead(actor=request.user, user=person, value=lead)
    except DomainError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"{person.display_name}'s role is saved.")
    request.user.refresh_from_db(fields=["site_role"])
    if not permissions.can_manage_roles(request.user):
        return redirect("community:home")
    return redirect(f"{reverse('community:staff-people')}?{request.GET.urlencode()}")


urlpatterns = [
    path("me/", profile_edit, name="profile-edit"),
    path("me/avatar/remove/", avatar_remove_view, name="avatar-remove"),
    path("me/privacy/", privacy_settings, name="privacy-settings"),
    path("me/privacy/turned-18/", turned_18, name="turned-18"),
    path("people/<int:user_id>/", person_detail, name="person-detail"),
    path("people/<int:user_id>/avatar/", avatar, name="avatar"),
    path("staff/people/", staff_people, name="staff-people"),
    path("staff/people/<int:user_id>/role/", staff_person_role, name="staff-person-role"),
]
