"""Deleting my account from the page, the API and the admin: the confirmation step, the goodbye page, and afterwards
no way back in (the page, a token, an open session)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.models import SupportContact, User
from community.personal_data import personal_data_sections

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def person(make_user):
    return make_user(display_name="Zephyrine Quill", email="zq@example.org")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_explains_what_goes_and_what_stays_and_links_to_the_download(person):
    page = logged_in(person).get("/me/data/delete/")

    text = page.content.decode()
    assert page.status_code == 200
    assert reverse("community:account-delete") == "/me/data/delete/"
    for section in personal_data_sections():
        assert section.title in text.replace("&#x27;", "'")
    assert 'href="/me/data/"' in text
    assert "I understand this can&#x27;t be undone" in text
    assert 'type="password"' in text


def test_a_wrong_password_or_no_tick_keeps_the_account_and_says_why(person):
    client = logged_in(person)

    wrong = client.post("/me/data/delete/", {"password": "nope", "confirm": "on"})
    no_tick = client.post("/me/data/delete/", {"password": PASSWORD})

    assert wrong.status_code == 200 and "That password isn&#x27;t right" in wrong.content.decode()
    assert no_tick.status_code == 200 and "Please tick the box" in no_tick.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    assert client.get("/me/data/delete/").status_code == 200  # still signed in


def test_deleting_signs_out_shows_goodbye_and_the_account_cannot_log_in(person):
    SupportContact.objects.create(service="Talk Line", contact="0800 000 000")
    client = logged_in(person)
    other_session = logged_in(person)

    answer = client.post("/me/data/delete/", {"password": PASSWORD, "confirm": "on"}, follow=True)

    assert answer.redirect_chain[-1][0] == reverse("community:account-deleted") == "/goodbye/"
    text = answer.content.decode()
    assert "Your account is deleted" in text and "Talk Line" in text
    assert not User.objects.filter(email="zq@example.org").exists()
    assert client.get("/me/data/delete/").status_code == 302  # signed out: to the login page
    assert other_session.get("/me/data/delete/").status_code == 302  # every session ended
    stranger = Client()
    login = stranger.post(reverse("community:login"), {"username": "zq@example.org", "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in stranger.session
    token = APIClient().post("/api/v1/auth/token/", {"email": "zq@example.org", "password": PASSWORD})
    assert token.status_code == 400


def test_the_api_deletes_with_password_and_confirm_and_the_token_stops_working(person):
    token = Token.objects.create(user=person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    wrong = client.post("/api/v1/me/delete-account/", {"password": "nope", "confirm": True}, format="json")
    unconfirmed = client.post("/api/v1/me/delete-account/", {"password": PASSWORD, "confirm": False}, format="json")
    assert (wrong.status_code, wrong.json()["code"]) == (400, "wrong_password")
    assert (unconfirmed.status_code, unconfirmed.json()["code"]) == (400, "not_confirmed")

    done = client.post("/api/v1/me/delete-account/", {"password": PASSWORD, "confirm": True}, format="json")

    assert done.status_code == 204
    assert client.get("/api/v1/me/").status_code == 401
    assert not User.objects.filter(pk=person.pk).exists()


def test_staff_erase_a_member_from_the_admin_but_not_other_staff(person, staff, make_user):
    from community.models import SiteRole

    other_staff = make_user(role=SiteRole.STAFF, display_name="Staff Two")
    client = logged_in(staff)
    url = reverse("admin:community_user_changelist")
    action = "action_erase_account__at_the_person_s_request_"

    client.post(url, {"action": action, "_selected_action": [person.pk, other_staff.pk]}, follow=True)

    assert not User.objects.filter(pk=person.pk).exists()
    assert User.objects.filter(pk=other_staff.pk).exists()


def test_the_stand_in_is_not_in_staffs_list_of_everyone_and_has_no_role_to_change(person, staff):
    from community.services.erasure import account_erase

    account_erase(actor=person, user=person, password=PASSWORD)
    stand_in = User.objects.get(erased_at__isnull=False)
    page, api = logged_in(staff), APIClient()
    api.force_authenticate(user=staff)

    assert "Deleted member" not in page.get("/staff/people/").content.decode()
    assert page.get("/staff/people/?search=deleted").context["page"].paginator.count == 0
    assert [p["display_name"] for p in api.get("/api/v1/people/").json()["results"]] == ["Staff Alex"]
    answer = api.post(f"/api/v1/people/{stand_in.pk}/role/", {"site_role": "moderator"}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (404, "person_not_found")
    assert page.post(f"/staff/people/{stand_in.pk}/role/", {"site_role": "moderator"}).status_code == 404
    stand_in.refresh_from_db()
    assert stand_in.site_role == "member"


def test_the_last_member_of_staff_is_asked_to_appoint_someone_before_deleting_their_account(staff, make_user):
    alone = logged_in(staff).post("/me/data/delete/", {"password": PASSWORD, "confirm": "on"})
    assert alone.status_code == 200
    assert "last member of staff" in alone.content.decode()
    api = APIClient()
    api.force_authenticate(staff)
    refused = api.post("/api/v1/me/delete-account/", {"password": PASSWORD, "confirm": True}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "last_staff")
    assert User.objects.filter(pk=staff.pk).exists()

    make_user(role="staff", display_name="Second Staffer")
    done = api.post("/api/v1/me/delete-account/", {"password": PASSWORD, "confirm": True}, format="json")
    assert done.status_code == 204
    assert not User.objects.filter(pk=staff.pk).exists()


def test_password_tries_are_limited_like_logging_in(person, settings):
    settings.HN_LOGIN_ATTEMPTS_PER_15_MIN = 3
    api = APIClient()
    api.force_authenticate(person)
    tries = [api.post("/api/v1/me/delete-account/", {"password": f"guess-{n}", "confirm": True}, format="json")
             for n in range(3)]  # fmt: skip
    assert [answer.status_code for answer in tries] == [400, 400, 400]
    right_but_too_many = api.post("/api/v1/me/delete-account/", {"password": PASSWORD, "confirm": True}, format="json")
    assert (right_but_too_many.status_code, right_but_too_many.json()["code"]) == (429, "rate_limited")
    assert User.objects.filter(pk=person.pk).exists()
