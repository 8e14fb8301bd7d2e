"""The moderation REST API as a moderator's app uses it: sanctions with bad durations, a mute that the member's next
REST message meets, the audit log's filters and CSV, message actions acting once."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import AuditEntry
from messaging.models import Message, ReportReason, Sanction
from messaging.services.moderation.cases import case_report_add

pytestmark = pytest.mark.django_db


def send(api, room, body="Hello"):
    return api.post(f"/api/v1/rooms/{room.pk}/messages/", {"body": body}, format="json")


@pytest.mark.parametrize("minutes", [0, -10, 43_201, 1.5, "ten", None, True])
def test_absurd_durations_are_refused_with_a_stable_code(api_as, moderator, in_group, room, minutes):
    response = api_as(moderator).post(
        "/api/v1/moderation/sanctions/",
        {"kind": "room_mute", "user_id": in_group.pk, "room_id": room.pk, "minutes": minutes, "reason": "Heated"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_duration"
    assert not Sanction.objects.exists() and not AuditEntry.objects.exists()


def test_a_muted_member_sending_through_rest_is_refused_with_muted_in_room(api_as, moderator, in_group, room):
    assert send(api_as(in_group), room).status_code == 201
    made = api_as(moderator).post(
        "/api/v1/moderation/sanctions/",
        {"kind": "room_mute", "user_id": in_group.pk, "room_id": room.pk, "minutes": 30, "reason": "Heated"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["in_force"] is True
    refused = send(api_as(in_group), room, "Another")
    assert refused.status_code == 403 and refused.json()["code"] == "muted_in_room"
    api_as(moderator).post(f"/api/v1/moderation/sanctions/{made.json()['id']}/lift/", {"reason": "OK"}, format="json")
    assert send(api_as(in_group), room, "Back").status_code == 201


def test_silence_through_rest_and_suspension_until_lifted(api_as, moderator, in_group, room):
    silenced = api_as(moderator).post(
        "/api/v1/moderation/sanctions/",
        {"kind": "silence", "user_id": in_group.pk, "minutes": 60, "reason": "Spam"},
        format="json",
    )
    assert silenced.status_code == 201
    assert send(api_as(in_group), room).json()["code"] == "silenced"
    suspended = api_as(moderator).post(
        "/api/v1/moderation/sanctions/",
        {"kind": "suspend", "user_id": in_group.pk, "hours": None, "reason": "Threats"},
        format="json",
    )
    assert suspended.status_code == 201 and suspended.json()["ends_at"] is None


def test_sanctioning_yourself_or_staff_is_refused(api_as, moderator, staff):
    for user in (moderator, staff):
        response = api_as(moderator).post(
            "/api/v1/moderation/sanctions/", {"kind": "warn", "user_id": user.pk, "reason": "x"}, format="json"
        )
        assert response.status_code == 403
    assert not Sanction.objects.exists()


def test_hiding_twice_through_rest_writes_one_audit_entry(api_as, moderator, in_group, room):
    message = Message.objects.create(room=room, author=in_group, body="Mean words")
    for _ in range(2):
        response = api_as(moderator).post(
            f"/api/v1/moderation/messages/{message.pk}/hide/", {"reason": "Mean"}, format="json"
        )
        assert response.status_code == 200 and response.json()["is_hidden"] is True
    assert response.json()["body"] == "Mean words"  # moderators still read it
    assert AuditEntry.objects.filter(action="message.hidden").count() == 1
    missing = api_as(moderator).post(f"/api/v1/moderation/messages/{message.pk}/explode/", {}, format="json")
    assert missing.status_code == 404


def test_claiming_someone_elses_case_needs_take_over(api_as, moderator, staff, in_group, friend, room):
    message = Message.objects.create(room=room, author=in_group, body="Mean words")
    case = case_report_add(reason=ReportReason.BULLYING, reporter=friend, message=message).case
    assert api_as(staff).post(f"/api/v1/moderation/cases/{case.pk}/claim/", {}, format="json").status_code == 200
    clash = api_as(moderator).post(f"/api/v1/moderation/cases/{case.pk}/claim/", {}, format="json")
    assert clash.status_code == 409 and clash.json()["code"] == "already_claimed"
    taken = api_as(moderator).post(f"/api/v1/moderation/cases/{case.pk}/claim/", {"take_over": True}, format="json")
    assert taken.json()["claimed_by"]["id"] == moderator.pk
    bad = api_as(moderator).post(f"/api/v1/moderation/cases/{case.pk}/resolve/", {"outcome": "x"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_outcome"
    for _ in range(2):
        done = api_as(moderator).post(
            f"/api/v1/moderation/cases/{case.pk}/resolve/", {"outcome": "hidden"}, format="json"
        )
        assert done.json()["status"] == "resolved"
    assert AuditEntry.objects.filter(action="case.resolved").count() == 1
    detail = api_as(moderator).get(f"/api/v1/moderation/cases/{case.pk}/").json()
    assert detail["reports"][0]["reporter"]["display_name"] == "Kai"
    assert [m["is_reported"] for m in detail["context"]] == [True]


@pytest.fixture
def log(moderator, staff, in_group, friend, room):
    """Three moderator actions over three days."""
    from messaging.services.moderation.actions import message_hide
    from messaging.services.moderation.sanctions import member_silence, member_warn

    message = Message.objects.create(room=room, author=in_group, body='=HYPERLINK("http://x")')
    message_hide(actor=moderator, message_id=message.pk, reason="=cmd|' /C calc'!A0")
    member_warn(actor=staff, user_id=friend.pk, reason="Be kind")
    member_silence(actor=moderator, user_id=in_group.pk, minutes=5, reason="Cool off")
    now = timezone.now()
    for days, action in ((2, "message.hidden"), (1, "sanction.warn"), (0, "sanction.silence")):
        AuditEntry.objects.filter(action=action).update(created_at=now - timedelta(days=days))
    return now


def test_audit_log_filters_by_actor_person_action_and_dates(api_as, staff, moderator, in_group, friend, log):
    api = api_as(staff)

    def actions(**query):
        return [entry["action"] for entry in api.get("/api/v1/moderation/audit/", query).json()["results"]]

    assert actions(actor=moderator.pk) == ["sanction.silence", "message.hidden"]
    assert actions(person=in_group.pk) == ["sanction.silence", "message.hidden"]
    assert actions(person=friend.pk) == ["sanction.warn"]
    assert actions(action="sanction.") == ["sanction.silence", "sanction.warn"]
    assert actions(action="sanction.warn") == ["sanction.warn"]
    today = timezone.localdate(log)
    assert actions(date_from=str(today - timedelta(days=1)), date_to=str(today - timedelta(days=1))) == [
        "sanction.warn"
    ]
    bad = api.get("/api/v1/moderation/audit/", {"date_from": str(today), "date_to": str(today - timedelta(days=3))})
    assert bad.status_code == 400


def test_audit_csv_has_the_filtered_rows_and_no_formulas(api_as, moderator, log):
    response = api_as(moderator).get("/api/v1/moderation/audit.csv", {"actor": moderator.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["when", "actor_id", "actor", "action"]
    assert [row[3] for row in rows[1:]] == ["sanction.silence", "message.hidden"]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_queue_puts_safeguarding_first_with_counts(api_as, moderator, in_group, friend, room):
    ordinary = Message.objects.create(room=room, author=in_group, body="Spam spam")
    worrying = Message.objects.create(room=room, author=friend, body="I can't go on")
    newer = Message.objects.create(room=room, author=in_group, body="More spam")
    first = case_report_add(reason=ReportReason.SPAM, reporter=friend, message=ordinary).case
    urgent = case_report_add(reason=ReportReason.SELF_HARM, reporter=in_group, message=worrying).case
    last = case_report_add(reason=ReportReason.SPAM, reporter=friend, message=newer).case
    api_as(moderator).post(f"/api/v1/moderation/cases/{last.pk}/claim/", {}, format="json")
    body = api_as(moderator).get("/api/v1/moderation/queue/").json()
    assert [item["id"] for item in body["results"]] == [urgent.pk, last.pk, first.pk]
    assert body["counts"] == {"all": 3, "safeguarding": 1, "mine": 1, "unclaimed": 2}
    mine = api_as(moderator).get("/api/v1/moderation/queue/", {"filter": "mine"}).json()
    assert [item["id"] for item in mine["results"]] == [last.pk]


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/moderation/audit/", {"actor": "99999999999999999999999"}),
        ("/api/v1/moderation/audit/", {"person": "99999999999999999999999"}),
        ("/api/v1/moderation/audit.csv", {"actor": "99999999999999999999999"}),
        ("/api/v1/moderation/sanctions/", {"user": "99999999999999999999999"}),
    ],
)
def test_an_id_too_large_for_the_database_is_a_400_not_a_crash(api_as, moderator, url, query):
    response = api_as(moderator).get(url, query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
