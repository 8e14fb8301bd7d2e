"""Profiles: what people tell others about themselves, who may see it, and their picture."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from community import permissions
from community.errors import Conflict, Forbidden, InvalidInput
from community.images import harden_image
from community.models import AgeBand, DirectMessagePolicy, Profile, ProfileVisibility, User
from community.services.accounts import display_name_validate
from community.services.audit import audit_record

PRONOUNS_MAX = 40
BIO_MAX = 500
REAL_NAME_MAX = 120
INTERESTS_MAX = 10
INTEREST_MAX_LENGTH = 30


def profile_update(
    *,
    actor: User,
    user: User,
    display_name: str | None = None,
    pronouns: str | None = None,
    bio: str | None = None,
    interests: list[str] | None = None,
    real_name: str | None = None,
) -> User:
    """Change the fields given (None leaves a field as it is). Returns the saved user with its profile."""
    _check_can_edit(actor=actor, user=user)
    user_changes: dict[str, object] = {}
    profile_changes: dict[str, object] = {}
    if display_name is not None:
        if not isinstance(display_name, str):
            raise InvalidInput("Please choose a display name. A nickname is fine.", code="invalid_display_name")
        user_changes["display_name"] = display_name
    if real_name is not None:
        user_changes["real_name"] = _clean_text(
            real_name,
            max_length=REAL_NAME_MAX,
            code="invalid_real_name",
            message=f"Your real name can be up to {REAL_NAME_MAX} characters.",
        )
    if pronouns is not None:
        profile_changes["pronouns"] = _clean_text(
            pronouns,
            max_length=PRONOUNS_MAX,
            code="invalid_pronouns",
            message=f"Pronouns can be up to {PRONOUNS_MAX} characters.",
        )
    if bio is not None:
        profile_changes["bio"] = _clean_text(
            bio,
            max_length=BIO_MAX,
            code="bio_too_long",
            message=f"Your 'about me' can be up to {BIO_MAX} characters. Try making it a little shorter.",
            single_line=False,
        )
    if interests is not None:
        profile_changes["interests"] = clean_interests(interests)

    with transaction.atomic():
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        profile = _locked_profile(user)
        if "display_name" in user_changes:
            user_changes["display_name"] = display_name_validate(display_name, exclude_user_id=locked_user.pk)
        changed_user = _apply(locked_user, user_changes)
        changed_profile = _apply(profile, profile_changes)
        if changed_user:
            try:
                with transaction.atomic():
                    locked_user.save(update_fields=changed_user)
            except IntegrityError as exc:  # someone took the name between our check and the save
                raise _display_name_taken() from exc
        if changed_profile:
            profile.save(update_fields=[*changed_profile, "updated_at"])
        if actor.pk != user.pk and (changed_user or changed_profile):
            audit_record(
                actor=actor,
                action="profile.updated_by_staff",
                target=locked_user,
                data={"fields": sorted(changed_user + changed_profile)},
            )
    locked_user.profile = profile
    return locked_user


def privacy_update(
    *,
    actor: User,
    user: User,
    profile_visibility: str | None = None,
    show_online: bool | None = None,
    direct_messages: str | None = None,
) -> Profile:
    """Change who can see the profile, whether presence shows, and who may start a direct message."""
    _check_can_edit(actor=actor, user=user)
    changes: dict[str, object] = {}
    if profile_visibility is not None:
        if profile_visibility not in ProfileVisibility.values:
            raise InvalidInput("Please choose who can see your profile.", code="invalid_choice")
        if profile_visibility == ProfileVisibility.ALL_MEMBERS and not permissions.can_be_found_outside_groups(user):
            raise Forbidden(
                "While you're under 18, only people in your groups can see your profile. "
                "It's one of the ways we help keep you safe.",
                code="not_allowed_under_18",
            )
        changes["profile_visibility"] = profile_visibility
    if show_online is not None:
        changes["show_online"] = bool(show_online)
    if direct_messages is not None:
        if direct_messages not in DirectMessagePolicy.values:
            raise InvalidInput("Please choose who can send you direct messages.", code="invalid_choice")
        changes["direct_messages"] = direct_messages

    with transaction.atomic():
        profile = _locked_profile(user)
        changed = _apply(profile, changes)
        if changed:
            profile.save(update_fields=[*changed, "updated_at"])
            if actor.pk != user.pk:
                audit_record(
                    actor=actor,
                    action="privacy.updated_by_staff",
                    target=user,
                    data={name: getattr(profile, name) for name in changed},
                )
    return profile


def age_band_turned_18(*, actor: User) -> User:
    """A 16- or 17-year-old says they've turned 18: their age band becomes 18 to 25, so the choices kept for adults
    open up (their settings stay as they are until they change them). One way only: nobody moves back to 16 or 17."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if user.age_band != AgeBand.UNDER_18:
            raise Conflict("Your account is already set up for someone aged 18 to 25.", code="not_under_18")
        user.age_band = AgeBand.ADULT
        user.save(update_fields=["age_band"])
        audit_record(actor=user, action="account.turned_18", target=user)
    actor.age_band = user.age_band
    return user


def avatar_set(*, actor: User, user: User, upload) -> Profile:
    """Check and clean the picture, store it under a random name, and delete the old one."""
    _check_can_edit(actor=actor, user=user)
    clean = harden_image(
        upload,
        max_bytes=settings.HN_AVATAR_MAX_BYTES,
        max_pixels=settings.HN_AVATAR_MAX_PIXELS,
        size=settings.HN_AVATAR_SIZE,
    )
    with transaction.atomic():
        profile = _locked_profile(user)
        old_name = profile.avatar.name
        profile.avatar.save(clean.name, clean, save=False)
        profile.save(update_fields=["avatar", "updated_at"])
        if old_name:
            _delete_file_on_commit(profile, old_name)
        if actor.pk != user.pk:
            audit_record(actor=actor, action="avatar.set_by_staff", target=user)
    return profile


def avatar_remove(*, actor: User, user: User) -> Profile:
    """Take the picture down (nothing happens if there isn't one)."""
    _check_can_edit(actor=actor, user=user)
    with transaction.atomic():
        profile = _locked_profile(user)
        old_name = profile.avatar.name
        if not old_name:
            return profile
        profile.avatar = ""
        profile.save(update_fields=["avatar", "updated_at"])
        _delete_file_on_commit(profile, old_name)
        if actor.pk != user.pk:
            audit_record(actor=actor, action="avatar.removed_by_staff", target=user)
    return profile


def clean_interests(interests) -> list[str]:
    """Tidy a list of interest tags: trimmed, no blanks, no repeats; at most 10, each up to 30 characters."""
    if isinstance(interests, str) or not isinstance(interests, list | tuple):
        raise _invalid_interests()
    tags: list[str] = []
    seen: set[str] = set()
    for raw in interests:
        if not isinstance(raw, str):
            raise _invalid_interests()
        tag = " ".join(raw.split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > INTEREST_MAX_LENGTH:
            raise _invalid_interests()
        seen.add(tag.casefold())
        tags.append(tag)
    if len(tags) > INTERESTS_MAX:
        raise _invalid_interests()
    return tags


def _check_can_edit(*, actor: User, user: User) -> None:
    if not permissions.can_edit_profile(actor, user):
        raise Forbidden("You can only change your own profile.", code="not_your_profile")


def _locked_profile(user: User) -> Profile:
    Profile.objects.get_or_create(user_id=user.pk)
    return Profile.objects.select_for_update().get(user_id=user.pk)


def _apply(instance, changes: dict[str, object]) -> list[str]:
    changed = [name for name, value in changes.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, changes[name])
    return changed


def _clean_text(value: str, *, max_length: int, code: str, message: str, single_line: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidInput(message, code=code)
    text = " ".join(value.split()) if single_line else value.strip()
    if len(text) > max_length:
        raise InvalidInput(message, code=code)
    return text


def _display_name_taken() -> Conflict:
    return Conflict(
        "Someone is already using that name. Try adding a letter or a number, or pick another name.",
        code="display_name_taken",
    )


def _invalid_interests() -> InvalidInput:
    return InvalidInput(
        f"You can add up to {INTERESTS_MAX} interests, each up to {INTEREST_MAX_LENGTH} characters.",
        code="invalid_interests",
    )


def _delete_file_on_commit(profile: Profile, name: str) -> None:
    # Only once the new state is saved: if the transaction rolls back, the old picture is still in use.
    storage = profile.avatar.storage
    transaction.on_commit(lambda: storage.delete(name))
