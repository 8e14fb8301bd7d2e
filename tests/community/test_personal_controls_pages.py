"""Block and mute on pages (a profile, the settings page "People you've blocked or muted") and in the REST API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import PersonBlock, PersonMute, SiteRole
from community.services.personal_controls import person_block, person_mute

pytestmark = pytest.mark.django_db


@pytest.fixture
def kai(make_user, group, add_member, member):
    add_member(group, member)
    person = make_user(display_name="Kai")
    add_member(group, person)
    return person


def test_a_profile_offers_block_mute_and_report(client, member, kai):
    client.force_login(member)
    page = client.get(reverse("community:person-detail", args=[kai.pk])).content.decode()

    assert reverse("community:person-block", args=[kai.pk]) in page
    assert reverse("community:person-mute", args=[kai.pk]) in page
    assert reverse("messaging:report-person", args=[kai.pk]) in page
    assert "never told" in page


def test_blocking_from_a_profile_comes_back_to_it_with_unblock(client, member, kai):
    client.force_login(member)
    profile = reverse("community:person-detail", args=[kai.pk])

    response = client.post(reverse("community:person-block", args=[kai.pk]), {"next": profile}, follow=True)

    assert response.redirect_chain[-1][0] == profile
    page = response.content.decode()
    assert "You&#x27;ve blocked Kai. They won&#x27;t be told." in page
    assert reverse("community:person-unblock", args=[kai.pk]) in page
    assert PersonBlock.objects.filter(blocker=member, blocked=kai).exists()


def test_a_moderator_profile_offers_mute_but_not_block(client, member, kai, make_user, group, add_member):
    moderator = make_user(role=SiteRole.MODERATOR, display_name="Mod Ash")
    add_member(group, moderator)
    client.force_login(member)
    page = client.get(reverse("community:person-detail", args=[moderator.pk])).content.decode()

    assert reverse("community:person-mute", args=[moderator.pk]) in page
    assert reverse("community:person-block", args=[moderator.pk]) not in page
    assert "can't be blocked" in page


def test_your_own_profile_has_no_block_or_report(client, member):
    client.force_login(member)
    page = client.get(reverse("community:person-detail", args=[member.pk])).content.decode()

    assert reverse("community:person-block", args=[member.pk]) not in page
    assert reverse("messaging:report-person", args=[member.pk]) not in page


def test_the_blocked_person_finds_the_blockers_profile_like_any_unknown_person(client, member, kai):
    person_block(actor=member, user_id=kai.pk)
    client.force_login(kai)

    blocked = client.get(reverse("community:person-detail", args=[member.pk]))
    unknown = client.get(reverse("community:person-detail", args=[999_999]))

    assert blocked.status_code == unknown.status_code == 404
    assert "block" not in blocked.content.decode().lower()


def test_the_settings_page_lists_blocks_and_mutes_and_undoes_them(client, member, kai, make_user):
    sam = make_user(display_name="Sam")
    person_block(actor=member, user_id=kai.pk)
    person_mute(actor=member, user_id=sam.pk)
    client.force_login(member)
    settings_url = reverse("community:personal-controls")

    page = client.get(settings_url).content.decode()
    assert "Kai" in page and "Sam" in page
    assert reverse("community:person-unblock", args=[kai.pk]) in page
    assert reverse("community:person-unmute", args=[sam.pk]) in page

    response = client.post(reverse("community:person-unblock", args=[kai.pk]), {"next": settings_url}, follow=True)
    assert response.redirect_chain[-1][0] == settings_url
    assert "You haven't blocked anyone." in response.content.decode()
    client.post(reverse("community:person-unmute", args=[sam.pk]), {"next": settings_url})
    assert not PersonBlock.objects.exists() and not PersonMute.objects.exists()


def test_the_settings_page_is_linked_from_me(client, member):
    client.force_login(member)
    page = client.get(reverse("community:profile-edit")).content.decode()

    assert reverse("community:personal-controls") in page
    assert reverse("messaging:my-reports") in page


def test_a_refusal_is_shown_kindly_and_next_never_leaves_the_site(client, member):
    client.force_login(member)

    response = client.post(
        reverse("community:person-block", args=[member.pk]), {"next": "https://elsewhere.example/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("community:personal-controls")
    assert "You can&#x27;t block or mute yourself." in response.content.decode()
    # Nor this site by plain http from an https page.
    response = client.post(
        reverse("community:person-mute", args=[member.pk]), {"next": "http://testserver/me/people/"}, secure=True
    )
    assert response["Location"] == reverse("community:personal-controls")


def test_block_and_mute_pages_need_a_post_and_a_login(client, member, kai):
    assert client.post(reverse("community:person-block", args=[kai.pk])).status_code == 302  # to log in
    assert not PersonBlock.objects.exists()
    client.force_login(member)
    assert client.get(reverse("community:person-block", args=[kai.pk])).status_code == 405


# --- the API ----------------------------------------------------------------------------------------------------------


def test_api_block_list_add_and_remove(api_as, member, kai):
    api = api_as(member)

    created = api.post("/api/v1/me/blocks/", {"user_id": kai.pk}, format="json")
    again = api.post("/api/v1/me/blocks/", {"user_id": kai.pk}, format="json")
    listed = api.get("/api/v1/me/blocks/")

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.json()["person"] == {"id": kai.pk, "display_name": "Kai"}
    assert again.json() == created.json()
    assert [row["person"]["id"] for row in listed.json()["results"]] == [kai.pk]

    assert api.delete(f"/api/v1/me/blocks/{kai.pk}/").status_code == 204
    assert api.delete(f"/api/v1/me/blocks/{kai.pk}/").status_code == 204
    assert api.get("/api/v1/me/blocks/").json()["results"] == []


def test_api_mutes_are_separate_from_blocks(api_as, member, kai):
    api = api_as(member)
    api.post("/api/v1/me/mutes/", {"user_id": kai.pk}, format="json")

    assert [row["person"]["id"] for row in api.get("/api/v1/me/mutes/").json()["results"]] == [kai.pk]
    assert api.get("/api/v1/me/blocks/").json()["results"] == []


@pytest.mark.parametrize(
    ("body", "code"), [({"user_id": "me"}, "invalid"), ({}, "invalid"), ({"user_id": 999_999}, "person_not_found")]
)
def test_api_bad_input_gets_a_stable_code(api_as, member, body, code):
    response = api_as(member).post("/api/v1/me/blocks/", body, format="json")

    assert response.json()["code"] == code
    assert response.status_code in (400, 404)


def test_api_blocking_a_moderator_is_refused_with_a_reason(api_as, member, moderator):
    response = api_as(member).post("/api/v1/me/blocks/", {"user_id": moderator.pk}, format="json")

    assert (response.status_code, response.json()["code"]) == (403, "cannot_block_staff")
