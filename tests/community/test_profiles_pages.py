"""The /me/, /me/privacy/ and /staff/people/ pages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from community.models import AgeBand, AuditEntry, DirectMessagePolicy, Profile, ProfileVisibility, SiteRole, User

pytestmark = pytest.mark.django_db

ME = "/me/"


def png_upload(name: str = "me.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), (20, 20, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def profile_form(**overrides) -> dict:
    return {
        "display_name": "Robin",
        "pronouns": "",
        "bio": "",
        "interests": "",
        "real_name": "",
        **overrides,
    }


# --- /me/ -----------------------------------------------------------------------------------


def test_me_url_name_is_kept():
    assert reverse("community:profile-edit") == ME


def test_me_needs_login(client):
    response = client.get(ME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("community:login"))


def test_me_page_shows_the_form_and_the_settings_links(client, member):
    client.force_login(member)
    response = client.get(ME)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in body
    assert 'type="file"' in body and 'name="avatar"' in body
    assert '<label for="id_avatar">Profile picture' in body
    assert 'value="Robin"' in body
    assert reverse("community:privacy-settings") in body
    assert "/me/password/" in body
    assert "/notifications/settings/" in body
    assert "Remove my picture" not in body  # nothing to remove yet


def test_saving_the_profile(client, member):
    client.force_login(member)
    response = client.post(
        ME,
        profile_form(display_name="Robin B", pronouns="he/him", bio="Hello!", interests="art, music , ,art"),
        follow=True,
    )
    assert response.redirect_chain == [(ME, 302)]
    assert "Your profile is saved." in response.content.decode()
    member.refresh_from_db()
    profile = Profile.objects.get(user=member)
    assert member.display_name == "Robin B"
    assert profile.pronouns == "he/him"
    assert profile.interests == ["art", "music"]
    assert 'value="art, music"' in response.content.decode()


def test_uploading_and_removing_a_picture(client, member):
    client.force_login(member)
    response = client.post(ME, {**profile_form(), "avatar": png_upload()})
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert profile.avatar
    assert "me.png" not in profile.avatar.name

    body = client.get(ME).content.decode()
    assert "Remove my picture" in body
    assert reverse("community:avatar", args=[member.pk]) in body

    response = client.post(reverse("community:avatar-remove"), follow=True)
    assert "Your picture is removed." in response.content.decode()
    assert not Profile.objects.get(user=member).avatar


def test_removing_a_picture_needs_post(client, member):
    client.force_login(member)
    assert client.get(reverse("community:avatar-remove")).status_code == 405


def test_a_taken_name_is_shown_next_to_the_name_box_and_nothing_is_saved(client, member, make_user):
    make_user(display_name="Sky")
    client.force_login(member)
    response = client.post(ME, profile_form(display_name="SKY", bio="changed"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone is already using that name" in body
    assert 'aria-invalid="true"' in body
    assert Profile.objects.get(user=member).bio == ""


def test_a_bad_picture_is_explained_and_the_profile_change_is_not_half_saved(client, member):
    client.force_login(member)
    fake = SimpleUploadedFile("cat.jpg", b"not really a picture", content_type="image/jpeg")
    response = client.post(ME, {**profile_form(bio="changed"), "avatar": fake})
    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in response.content.decode()
    profile = Profile.objects.get(user=member)
    assert not profile.avatar
    assert profile.bio == ""


def test_too_many_interests_are_explained(client, member):
    client.force_login(member)
    response = client.post(ME, profile_form(interests=",".join(f"tag{n}" for n in range(11))))
    assert response.status_code == 200
    assert "up to 10 interests" in response.content.decode()


# --- /me/privacy/ ---------------------------------------------------------------------------

PRIVACY = "/me/privacy/"


def test_privacy_url_name():
    assert reverse("community:privacy-settings") == PRIVACY


def test_privacy_page_explains_each_choice(client, member):
    client.force_login(member)
    body = client.get(PRIVACY).content.decode()
    assert body.count("<h1") == 1
    assert "Only people who are in a group with you can see your profile." in body
    assert "Anyone who has joined Here and Now can see your profile." in body
    assert "It stays off unless you turn it on." in body
    assert "Nothing arrives until you say yes." in body
    assert "Staff and moderators can still get in touch" in body
    assert 'aria-describedby="id_profile_visibility_1_explanation"' in body
    assert "disabled" not in body
    # High-privacy defaults are what the page starts with.
    assert 'value="co_members" required id="id_profile_visibility_0" checked' in body
    assert 'value="requests" required id="id_direct_messages_0" checked' in body
    show_online_input = body.split('name="show_online"')[1].split(">")[0]
    assert "checked" not in show_online_input


def test_saving_privacy_settings(client, member):
    member.age_band = AgeBand.ADULT
    member.save()
    client.force_login(member)
    response = client.post(
        PRIVACY,
        {"profile_visibility": ProfileVisibility.ALL_MEMBERS, "show_online": "on", "direct_messages": "off"},
        follow=True,
    )
    assert response.redirect_chain == [(PRIVACY, 302)]
    assert "Your privacy settings are saved." in response.content.decode()
    profile = Profile.objects.get(user=member)
    assert profile.profile_visibility == ProfileVisibility.ALL_MEMBERS
    assert profile.show_online is True
    assert profile.direct_messages == DirectMessagePolicy.OFF


def test_under_18_sees_the_all_members_option_switched_off_with_the_reason(client, make_user):
    young = make_user(age_band=AgeBand.UNDER_18)
    client.force_login(young)
    body = client.get(PRIVACY).content.decode()
    assert "Not available while you&#x27;re under 18" in body
    all_members_input = body.split('value="all_members"')[1].split(">")[0]
    assert "disabled" in all_members_input


def test_under_18_posting_all_members_anyway_gets_a_kind_message(client, make_user):
    young = make_user(age_band=AgeBand.UNDER_18)
    client.force_login(young)
    response = client.post(
        PRIVACY, {"profile_visibility": ProfileVisibility.ALL_MEMBERS, "direct_messages": "requests"}
    )
    assert response.status_code == 403  # not_allowed_under_18, with the form and a kind message
    assert "While you&#x27;re under 18, only people in your groups can see your profile" in response.content.decode()
    assert Profile.objects.get(user=young).profile_visibility == ProfileVisibility.CO_MEMBERS


# --- /staff/people/ -------------------------------------------------------------------------

STAFF_PEOPLE = "/staff/people/"


def test_staff_people_url_name():
    assert reverse("community:staff-people") == STAFF_PEOPLE


@pytest.mark.parametrize("viewer_fixture", ["member", "leader", "moderator", "evaluator"])
def test_staff_people_page_is_for_staff_only(request, client, viewer_fixture):
    client.force_login(request.getfixturevalue(viewer_fixture))
    response = client.get(STAFF_PEOPLE)
    assert response.status_code == 403
    assert "Only staff" in response.content.decode()


def test_staff_people_page_lists_and_searches(client, staff, member, make_user):
    make_user(display_name="Quinn", email="quinn@example.org", real_name="Quinn Taylor")
    client.force_login(staff)
    body = client.get(STAFF_PEOPLE).content.decode()
    assert "Robin" in body and "Quinn" in body and "quinn@example.org" in body
    assert body.count("<h1") == 1

    body = client.get(STAFF_PEOPLE, {"search": "taylor"}).content.decode()
    assert "Quinn" in body
    assert reverse("community:person-detail", args=[member.pk]) not in body
    assert "1 person matching" in body

    body = client.get(STAFF_PEOPLE, {"search": "nobody-like-this"}).content.decode()
    assert "Nobody matches" in body


def test_staff_people_page_query_count_does_not_grow(client, staff, make_user, django_assert_max_num_queries):
    client.force_login(staff)
    for _ in range(3):
        make_user()
    with django_assert_max_num_queries(12) as few:
        client.get(STAFF_PEOPLE)
    for _ in range(15):
        make_user()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(STAFF_PEOPLE)


def test_staff_changes_a_role_from_the_page(client, staff, member):
    client.force_login(staff)
    url = reverse("community:staff-person-role", args=[member.pk])
    response = client.post(f"{url}?search=rob", {"site_role": SiteRole.MODERATOR}, follow=True)
    assert response.redirect_chain[0] == (f"{STAFF_PEOPLE}?search=rob", 302)
    assert "Robin&#x27;s role is saved." in response.content.decode()
    member.refresh_from_db()
    assert member.site_role == SiteRole.MODERATOR
    assert AuditEntry.objects.filter(action="user.site_role_changed").exists()


def test_staff_makes_a_colleague_safeguarding_lead_from_the_page(client, staff, make_user):
    colleague = make_user(role=SiteRole.STAFF)
    client.force_login(staff)
    url = reverse("community:staff-person-role", args=[colleague.pk])
    client.post(url, {"site_role": SiteRole.STAFF, "is_safeguarding_lead": "on"})
    colleague.refresh_from_db()
    assert colleague.is_safeguarding_lead is True


def test_last_staff_member_is_told_kindly(client, staff):
    client.force_login(staff)
    url = reverse("community:staff-person-role", args=[staff.pk])
    response = client.post(url, {"site_role": SiteRole.MEMBER}, follow=True)
    assert response.status_code == 200
    assert "This is the last member of staff" in response.content.decode()
    staff.refresh_from_db()
    assert staff.site_role == SiteRole.STAFF


def test_a_member_cannot_change_roles_from_the_page(client, member):
    client.force_login(member)
    response = client.post(reverse("community:staff-person-role", args=[member.pk]), {"site_role": SiteRole.STAFF})
    assert response.status_code == 403
    assert User.objects.get(pk=member.pk).site_role == SiteRole.MEMBER
