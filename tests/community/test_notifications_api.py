"""/api/v1/notifications/...: your own notifications, unread count, marking read, email preferences."""

from __future__ import annotations

from datetime import time

import pytest
from rest_framework.test import APIClient

from community import notification_kinds
from community.models import Notification, NotificationPreference, Profile
from community.notification_kinds import NotificationKind
from community.services.notifications import notify

BASE = "/api/v1/notifications/"
QUIET = "test_quiet_kind"
ROLES = ["member", "leader", "moderator", "staff", "evaluator"]
NO_QUIET_HOURS = {"quiet_hours_start": None, "quiet_hours_end": None}


@pytest.fixture(autouse=True)
def test_kind(monkeypatch):
    monkeypatch.setitem(notification_kinds._KINDS, QUIET, NotificationKind(QUIET, "A quiet test kind"))


@pytest.fixture
def people(member, leader, moderator, staff, evaluator):
    return {"member": member, "leader": leader, "moderator": moderator, "staff": staff, "evaluator": evaluator}


def read_url(notification: Notification | int) -> str:
    pk = notification.pk if isinstance(notification, Notification) else notification
    return f"{BASE}{pk}/read/"


# --- anonymous --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", BASE),
        ("get", f"{BASE}unread-count/"),
        ("post", f"{BASE}1/read/"),
        ("post", f"{BASE}read-all/"),
        ("get", f"{BASE}preferences/"),
        ("put", f"{BASE}preferences/"),
    ],
)
def test_anonymous_gets_a_coded_refusal(db, method, url):
    response = getattr(APIClient(), method)(url, format="json")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    assert response.json()["detail"]


def test_a_token_works(member):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=member)
    notify(user=member, kind=QUIET, title="By token")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(BASE)
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["By token"]


# --- list ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_only_their_own_notifications(api_as, people, role):
    for name, person in people.items():
        notify(user=person, kind=QUIET, title=f"For {name}")

    response = api_as(people[role]).get(BASE)

    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == [f"For {role}"]


def test_list_is_newest_first_with_the_fields_a_client_needs(api_as, member):
    notify(user=member, kind=QUIET, title="First")
    second = notify(user=member, kind=QUIET, title="Second", body="More", url="/groups/")

    body = api_as(member).get(BASE).json()

    assert body["count"] == 2
    row = body["results"][0]
    assert row == {
        "id": second.pk,
        "kind": QUIET,
        "title": "Second",
        "body": "More",
        "url": "/groups/",
        "created_at": row["created_at"],
        "read_at": None,
        "is_read": False,
    }
    assert body["results"][1]["title"] == "First"


def test_list_can_show_only_unread(api_as, member):
    read = notify(user=member, kind=QUIET, title="Read")
    notify(user=member, kind=QUIET, title="Unread")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client = api_as(member)

    assert [row["title"] for row in client.get(BASE, {"unread": "true"}).json()["results"]] == ["Unread"]
    assert len(client.get(BASE, {"unread": "false"}).json()["results"]) == 2


def test_list_query_count_does_not_grow(api_as, member, django_assert_max_num_queries):
    client = api_as(member)
    for number in range(3):
        notify(user=member, kind=QUIET, title=f"Few {number}")
    with django_assert_max_num_queries(4) as few:
        assert client.get(BASE).status_code == 200
    for number in range(40):
        notify(user=member, kind=QUIET, title=f"Many {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(BASE).json()["results"]) == 25


# --- unread count, read, read all --------------------------------------------------------------------------------


def test_unread_count(api_as, member, make_user):
    notify(user=member, kind=QUIET, title="One")
    notify(user=member, kind=QUIET, title="Two")
    notify(user=make_user(), kind=QUIET, title="Not mine")
    assert api_as(member).get(f"{BASE}unread-count/").json() == {"unread_count": 2}


def test_mark_one_read(api_as, member):
    notification = notify(user=member, kind=QUIET, title="One")

    response = api_as(member).post(read_url(notification))

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["read_at"]
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    assert api_as(member).post(read_url(notification)).status_code == 200  # again: still fine


@pytest.mark.parametrize("role", ["leader", "moderator", "staff", "evaluator"])
def test_nobody_can_mark_someone_elses_notification(api_as, people, role):
    notification = notify(user=people["member"], kind=QUIET, title="Private")

    response = api_as(people[role]).post(read_url(notification))

    assert response.status_code == 404
    assert response.json()["code"] == "notification_not_found"
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_marking_a_missing_notification_is_not_found(api_as, member):
    response = api_as(member).post(read_url(999999))
    assert response.status_code == 404
    assert response.json()["code"] == "notification_not_found"


def test_mark_all_read(api_as, member, make_user):
    for title in ("One", "Two", "Three"):
        notify(user=member, kind=QUIET, title=title)
    theirs = notify(user=make_user(), kind=QUIET, title="Theirs")

    response = api_as(member).post(f"{BASE}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked_read": 3, "unread_count": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


# --- preferences --------------------------------------------------------------------------------------------------


def test_preferences_show_every_kind_and_quiet_hours(api_as, member):
    NotificationPreference.objects.create(user=member, kind=QUIET, email=True)
    Profile.objects.filter(user=member).update(quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0))

    body = api_as(member).get(f"{BASE}preferences/").json()

    kinds = {row["key"]: row for row in body["kinds"]}
    assert set(kinds) == {kind.key for kind in notification_kinds.all_kinds()}
    assert kinds[QUIET] == {"key": QUIET, "label": "A quiet test kind", "email": True, "safety_critical": False}
    assert kinds["account_security"]["email"] is True
    assert kinds["account_security"]["safety_critical"] is True
    assert kinds["welcome"]["email"] is False
    assert (body["quiet_hours_start"], body["quiet_hours_end"]) == ("22:00", "07:00")


def test_preferences_can_be_changed(api_as, member):
    response = api_as(member).put(
        f"{BASE}preferences/",
        {"kinds": [{"key": QUIET, "email": True}], "quiet_hours_start": "21:30", "quiet_hours_end": "08:00"},
        format="json",
    )

    assert response.status_code == 200
    kinds = {row["key"]: row for row in response.json()["kinds"]}
    assert kinds[QUIET]["email"] is True
    assert response.json()["quiet_hours_start"] == "21:30"
    assert NotificationPreference.objects.get(user=member, kind=QUIET).email is True
    assert Profile.objects.get(user=member).quiet_hours_end == time(8, 0)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"kinds": [{"key": "nope", "email": True}], **NO_QUIET_HOURS}, "unknown_kind"),
        ({"kinds": [{"key": "account_security", "email": False}], **NO_QUIET_HOURS}, "safety_critical"),
        ({"kinds": [], "quiet_hours_start": "22:00", "quiet_hours_end": None}, "invalid_quiet_hours"),
        ({"kinds": [], "quiet_hours_start": "22:00", "quiet_hours_end": "22:00"}, "invalid_quiet_hours"),
        ({"kinds": [], "quiet_hours_start": "late", "quiet_hours_end": "07:00"}, "invalid"),
        ({"kinds": [{"key": QUIET}], **NO_QUIET_HOURS}, "invalid"),
    ],
)
def test_preference_changes_that_are_refused(api_as, member, payload, code):
    response = api_as(member).put(f"{BASE}preferences/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_the_schema_describes_the_notification_endpoints(api_as, staff):
    response = api_as(staff).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/notifications/",
        "/api/v1/notifications/unread-count/",
        "/api/v1/notifications/{notification_id}/read/",
        "/api/v1/notifications/read-all/",
        "/api/v1/notifications/preferences/",
    ):
        assert path in paths
    assert "put" in paths["/api/v1/notifications/preferences/"]
    parameters = {p["name"] for p in paths["/api/v1/notifications/"]["get"]["parameters"]}
    assert {"unread", "page"} <= parameters
