"""API: /api/v1/me/, /api/v1/me/avatar/ and /api/v1/people/<id>/."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.models import AgeBand, Profile, ProfileVisibility, SiteRole

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
AVATAR = "/api/v1/me/avatar/"


def person_url(user) -> str:
    return f"/api/v1/people/{user.pk}/"


def jpeg_upload(name: str = "holiday.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[34853] = {1: "N", 2: (51.0, 30.0, 26.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (250, 200, 0)).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- /me/ -----------------------------------------------------------------------------------


def test_anonymous_cannot_use_me(api_as):
    response = api_as(None).get(ME)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role", list(SiteRole.values))
def test_everyone_signed_in_sees_their_own_details(api_as, make_user, role):
    user = make_user(role=role, age_band=AgeBand.ADULT, real_name="Real Person")
    body = api_as(user).get(ME).json()
    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["real_name"] == "Real Person"
    assert body["site_role"] == role
    assert body["age_band"] == AgeBand.ADULT
    assert body["profile_visibility"] == ProfileVisibility.CO_MEMBERS
    assert body["show_online"] is False
    assert body["avatar_url"] is None


def test_patch_me_changes_profile_and_privacy(api_as, member):
    member.age_band = AgeBand.ADULT
    member.save()
    response = api_as(member).patch(
        ME,
        {
            "display_name": "Robin Red",
            "interests": ["art", "films"],
            "bio": "Hello",
            "profile_visibility": "all_members",
            "show_online": True,
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Robin Red"
    assert body["interests"] == ["art", "films"]
    assert body["profile_visibility"] == "all_members"
    assert body["show_online"] is True
    profile = Profile.objects.get(user=member)
    assert profile.bio == "Hello"
    assert profile.profile_visibility == ProfileVisibility.ALL_MEMBERS


def test_patch_me_cannot_change_email_role_or_age_band(api_as, member):
    response = api_as(member).patch(
        ME, {"email": "new@example.org", "site_role": "staff", "age_band": "18_25"}, format="json"
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.site_role == SiteRole.MEMBER
    assert member.email != "new@example.org"
    assert member.age_band == ""


def test_patch_me_error_codes(api_as, member, make_user):
    make_user(display_name="Taken Name")
    client = api_as(member)

    response = client.patch(ME, {"display_name": "taken name"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "display_name_taken"

    response = client.patch(ME, {"interests": [f"t{n}" for n in range(11)]}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_interests"

    response = client.patch(ME, {"bio": "b" * 501}, format="json")
    assert response.json()["code"] == "bio_too_long"

    response = client.patch(ME, {"profile_visibility": "the_whole_world"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_patch_me_is_all_or_nothing(api_as, make_user):
    young = make_user(age_band=AgeBand.UNDER_18)
    response = api_as(young).patch(ME, {"bio": "New bio", "profile_visibility": "all_members"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed_under_18"
    profile = Profile.objects.get(user=young)
    assert profile.bio == ""
    assert profile.profile_visibility == ProfileVisibility.CO_MEMBERS


# --- /me/avatar/ ----------------------------------------------------------------------------


def test_put_and_delete_avatar(api_as, member):
    client = api_as(member)
    response = client.put(AVATAR, {"avatar": jpeg_upload()}, format="multipart")
    assert response.status_code == 200
    url = response.json()["avatar_url"]
    assert f"/people/{member.pk}/avatar/?v=" in url
    profile = Profile.objects.get(user=member)
    assert "holiday" not in profile.avatar.name
    with profile.avatar.open("rb") as stored:
        data = stored.read()
    assert b"Exif" not in data
    assert len(Image.open(io.BytesIO(data)).getexif()) == 0

    response = client.delete(AVATAR)
    assert response.status_code == 204
    assert not Profile.objects.get(user=member).avatar
    assert client.get(ME).json()["avatar_url"] is None


def test_put_avatar_error_codes(api_as, member, settings):
    client = api_as(member)
    gif = io.BytesIO()
    Image.new("P", (10, 10)).save(gif, format="GIF")
    response = client.put(
        AVATAR, {"avatar": SimpleUploadedFile("a.jpg", gif.getvalue(), "image/jpeg")}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unsupported_image"

    settings.HN_AVATAR_MAX_BYTES = 10
    response = client.put(AVATAR, {"avatar": jpeg_upload()}, format="multipart")
    assert response.json()["code"] == "image_too_large"

    response = client.put(AVATAR, {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_anonymous_cannot_change_an_avatar(api_as):
    assert api_as(None).put(AVATAR, {"avatar": jpeg_upload()}, format="multipart").json()["code"] == (
        "not_authenticated"
    )
    assert api_as(None).delete(AVATAR).json()["code"] == "not_authenticated"


# --- /people/<id>/ --------------------------------------------------------------------------


@pytest.fixture
def casey(make_user, group, add_member):
    user = make_user(display_name="Casey", real_name="Casey Jones")
    add_member(group, user)
    return user


def test_person_for_a_co_member_has_no_real_name(api_as, casey, leader, group):
    response = api_as(leader).get(person_url(casey))
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Casey"
    assert "real_name" not in body
    assert body["groups_in_common"] == [{"slug": group.slug, "name": group.name}]
    assert body["is_self"] is False


def test_person_for_staff_has_the_real_name(api_as, casey, staff):
    body = api_as(staff).get(person_url(casey)).json()
    assert body["real_name"] == "Casey Jones"


def test_person_for_a_moderator_has_no_real_name(api_as, casey, moderator):
    response = api_as(moderator).get(person_url(casey))
    assert response.status_code == 200
    assert "real_name" not in response.json()


def test_person_for_themself_has_the_real_name(api_as, casey):
    body = api_as(casey).get(person_url(casey)).json()
    assert body["real_name"] == "Casey Jones"
    assert body["is_self"] is True


@pytest.mark.parametrize("viewer_fixture", ["member", "evaluator"])
def test_person_is_not_found_for_strangers_and_evaluators(request, api_as, casey, viewer_fixture):
    response = api_as(request.getfixturevalue(viewer_fixture)).get(person_url(casey))
    assert response.status_code == 404
    assert response.json()["code"] == "person_not_found"
    assert "Casey" not in response.content.decode()


def test_person_needs_login(api_as, casey):
    assert api_as(None).get(person_url(casey)).json()["code"] == "not_authenticated"


def test_schema_describes_the_profiles_endpoints(api_as, member):
    response = api_as(member).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/me/",
        "/api/v1/me/avatar/",
        "/api/v1/people/",
        "/api/v1/people/{user_id}/",
        "/api/v1/people/{user_id}/role/",
    ):
        assert path in paths
    assert set(paths["/api/v1/me/avatar/"]) >= {"put", "delete"}
