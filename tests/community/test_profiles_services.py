"""Profile, privacy and avatar services: happy paths and every error code."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.errors import Conflict, DomainError, Forbidden, InvalidInput
from community.models import AgeBand, AuditEntry, DirectMessagePolicy, Profile, ProfileVisibility, User
from community.services.profiles import avatar_remove, avatar_set, privacy_update, profile_update

pytestmark = pytest.mark.django_db


def png_upload(name: str = "me.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 160, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- profile_update -------------------------------------------------------------------------


def test_person_updates_their_own_profile(member):
    user = profile_update(
        actor=member,
        user=member,
        display_name="  Robin   Bird ",
        pronouns="they/them",
        bio="I like drawing.\nAnd music.",
        interests=["Drawing", " music ", "drawing", ""],
        real_name="Robin Smith",
    )
    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.display_name == "Robin Bird"
    assert member.real_name == "Robin Smith"
    assert profile.pronouns == "they/them"
    assert profile.bio == "I like drawing.\nAnd music."
    assert profile.interests == ["Drawing", "music"]
    assert user.profile.interests == ["Drawing", "music"]
    assert not AuditEntry.objects.exists()  # people changing their own profile are not audited


def test_fields_left_out_are_not_changed(member):
    profile_update(actor=member, user=member, bio="Hello")
    profile_update(actor=member, user=member, pronouns="she/her")
    profile = Profile.objects.get(user=member)
    assert profile.bio == "Hello"
    assert profile.pronouns == "she/her"
    member.refresh_from_db()
    assert member.display_name == "Robin"


def test_changing_only_the_case_of_your_own_name_is_fine(member):
    profile_update(actor=member, user=member, display_name="ROBIN")
    member.refresh_from_db()
    assert member.display_name == "ROBIN"


def test_display_name_taken_case_insensitively(member, make_user):
    make_user(display_name="Sky")
    with pytest.raises(Conflict) as error:
        profile_update(actor=member, user=member, display_name="sKY")
    assert error.value.code == "display_name_taken"
    member.refresh_from_db()
    assert member.display_name == "Robin"


@pytest.mark.parametrize(
    ("name", "code"),
    [("R", "invalid_display_name"), (" a ", "invalid_display_name"), ("x" * 41, "invalid_display_name"),
     ("robin@example.org", "display_name_is_email")],
)  # fmt: skip
def test_display_name_rules(member, name, code):
    with pytest.raises(InvalidInput) as error:
        profile_update(actor=member, user=member, display_name=name)
    assert error.value.code == code


@pytest.mark.parametrize(
    "interests",
    [
        [f"tag {n}" for n in range(11)],
        ["x" * 31],
        "football, art",
        [1, 2],
    ],
)
def test_invalid_interests(member, interests):
    with pytest.raises(InvalidInput) as error:
        profile_update(actor=member, user=member, interests=interests)
    assert error.value.code == "invalid_interests"


def test_ten_interests_of_thirty_characters_are_allowed(member):
    tags = [f"{n}" + "x" * 29 for n in range(10)]
    profile_update(actor=member, user=member, interests=tags)
    assert Profile.objects.get(user=member).interests == tags


def test_bio_too_long(member):
    profile_update(actor=member, user=member, bio="b" * 500)
    with pytest.raises(InvalidInput) as error:
        profile_update(actor=member, user=member, bio="b" * 501)
    assert error.value.code == "bio_too_long"


def test_pronouns_and_real_name_too_long(member):
    with pytest.raises(InvalidInput) as error:
        profile_update(actor=member, user=member, pronouns="p" * 41)
    assert error.value.code == "invalid_pronouns"
    with pytest.raises(InvalidInput) as error:
        profile_update(actor=member, user=member, real_name="n" * 121)
    assert error.value.code == "invalid_real_name"


def test_someone_else_cannot_edit_a_profile(member, make_user, moderator):
    other = make_user()
    for actor in (other, moderator):
        with pytest.raises(Forbidden) as error:
            profile_update(actor=actor, user=member, bio="not mine")
        assert error.value.code == "not_your_profile"
    assert Profile.objects.get(user=member).bio == ""


def test_staff_edit_of_someone_elses_profile_is_audited(member, staff):
    profile_update(actor=staff, user=member, bio="Edited by staff", display_name="Robin")
    entry = AuditEntry.objects.get()
    assert entry.action == "profile.updated_by_staff"
    assert entry.actor == staff
    assert entry.target_id == str(member.pk)
    assert entry.data == {"fields": ["bio"]}


# --- privacy_update -------------------------------------------------------------------------


def test_privacy_defaults_are_high_privacy(member):
    profile = Profile.objects.get(user=member)
    assert profile.profile_visibility == ProfileVisibility.CO_MEMBERS
    assert profile.show_online is False
    assert profile.direct_messages == DirectMessagePolicy.REQUESTS


def test_adult_can_choose_every_privacy_setting(member):
    member.age_band = AgeBand.ADULT
    member.save()
    profile = privacy_update(
        actor=member,
        user=member,
        profile_visibility=ProfileVisibility.ALL_MEMBERS,
        show_online=True,
        direct_messages=DirectMessagePolicy.OFF,
    )
    stored = Profile.objects.get(user=member)
    assert stored.profile_visibility == profile.profile_visibility == ProfileVisibility.ALL_MEMBERS
    assert stored.show_online is True
    assert stored.direct_messages == DirectMessagePolicy.OFF


def test_under_18_cannot_be_seen_by_all_members(make_user):
    young = make_user(age_band=AgeBand.UNDER_18)
    with pytest.raises(Forbidden) as error:
        privacy_update(actor=young, user=young, profile_visibility=ProfileVisibility.ALL_MEMBERS)
    assert error.value.code == "not_allowed_under_18"
    assert "under 18" in error.value.detail
    assert Profile.objects.get(user=young).profile_visibility == ProfileVisibility.CO_MEMBERS


def test_under_18_rule_holds_for_staff_too(make_user, staff):
    young = make_user(age_band=AgeBand.UNDER_18)
    with pytest.raises(Forbidden) as error:
        privacy_update(actor=staff, user=young, profile_visibility=ProfileVisibility.ALL_MEMBERS)
    assert error.value.code == "not_allowed_under_18"


def test_under_18_can_change_their_other_settings(make_user):
    young = make_user(age_band=AgeBand.UNDER_18)
    privacy_update(actor=young, user=young, show_online=True, direct_messages=DirectMessagePolicy.OFF)
    profile = Profile.objects.get(user=young)
    assert profile.show_online is True
    assert profile.direct_messages == DirectMessagePolicy.OFF


@pytest.mark.parametrize("field", ["profile_visibility", "direct_messages"])
def test_unknown_privacy_choice(member, field):
    with pytest.raises(InvalidInput) as error:
        privacy_update(actor=member, user=member, **{field: "everyone_everywhere"})
    assert error.value.code == "invalid_choice"


def test_privacy_only_by_the_person_or_staff(member, make_user, staff):
    with pytest.raises(Forbidden) as error:
        privacy_update(actor=make_user(), user=member, show_online=True)
    assert error.value.code == "not_your_profile"
    privacy_update(actor=staff, user=member, show_online=True)
    entry = AuditEntry.objects.get()
    assert entry.action == "privacy.updated_by_staff"
    assert entry.data == {"show_online": True}


# --- avatars --------------------------------------------------------------------------------


def test_avatar_set_stores_a_clean_square_with_a_random_name(member, settings):
    settings.HN_AVATAR_SIZE = 32
    profile = avatar_set(actor=member, user=member, upload=png_upload("my real name.png"))
    assert profile.avatar.name.startswith(f"avatars/{member.pk}/")
    assert "real" not in profile.avatar.name
    with default_storage.open(profile.avatar.name) as stored:
        assert Image.open(stored).size == (32, 32)
    assert Profile.objects.get(user=member).avatar.name == profile.avatar.name


def test_new_avatar_deletes_the_old_file(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = avatar_set(actor=member, user=member, upload=png_upload()).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        second = avatar_set(actor=member, user=member, upload=png_upload()).avatar.name
    assert first != second
    assert not default_storage.exists(first)
    assert default_storage.exists(second)


def test_avatar_set_refuses_bad_files_and_keeps_the_old_picture(member, settings):
    first = avatar_set(actor=member, user=member, upload=png_upload()).avatar.name
    settings.HN_AVATAR_MAX_BYTES = 50
    with pytest.raises(InvalidInput) as error:
        avatar_set(actor=member, user=member, upload=png_upload())
    assert error.value.code == "image_too_large"
    settings.HN_AVATAR_MAX_BYTES = 5_000_000
    with pytest.raises(InvalidInput) as error:
        avatar_set(actor=member, user=member, upload=SimpleUploadedFile("x.jpg", b"hello", content_type="image/jpeg"))
    assert error.value.code == "unsupported_image"
    settings.HN_AVATAR_MAX_PIXELS = 100
    with pytest.raises(InvalidInput) as error:
        avatar_set(actor=member, user=member, upload=png_upload())
    assert error.value.code == "image_too_many_pixels"
    assert Profile.objects.get(user=member).avatar.name == first
    assert default_storage.exists(first)


def test_avatar_remove_clears_and_deletes(member, django_capture_on_commit_callbacks):
    name = avatar_set(actor=member, user=member, upload=png_upload()).avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        avatar_remove(actor=member, user=member)
    assert not Profile.objects.get(user=member).avatar
    assert not default_storage.exists(name)
    avatar_remove(actor=member, user=member)  # nothing to remove is fine


def test_avatar_changes_by_someone_else(member, make_user, staff):
    with pytest.raises(Forbidden) as error:
        avatar_set(actor=make_user(), user=member, upload=png_upload())
    assert error.value.code == "not_your_profile"
    with pytest.raises(Forbidden) as error:
        avatar_remove(actor=make_user(), user=member)
    assert error.value.code == "not_your_profile"

    avatar_set(actor=staff, user=member, upload=png_upload())
    avatar_remove(actor=staff, user=member)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "avatar.set_by_staff",
        "avatar.removed_by_staff",
    ]


def test_all_refusals_are_domain_errors_with_kind_words(member, make_user):
    make_user(display_name="Taken")
    with pytest.raises(DomainError) as error:
        profile_update(actor=member, user=member, display_name="taken")
    assert error.value.status == 409
    assert "pick another name" in error.value.detail
    assert User.objects.filter(display_name__iexact="taken").count() == 1
