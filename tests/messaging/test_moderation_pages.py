"""The moderators' pages: the queue, an item with its context and buttons, a person's history, the audit log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from community.models import AuditEntry
from messaging.models import Message, ReportReason, Sanction
from messaging.services.moderation.cases import case_report_add
from tests.messaging.moderation_helpers import held_message

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reported(room, in_group, friend):
    before = Message.objects.create(room=room, author=friend, body="What do you all think of the mural?")
    message = Message.objects.create(room=room, author=in_group, body="It's ugly and so are you")
    after = Message.objects.create(room=room, author=friend, body="That's not kind")
    case = case_report_add(reason=ReportReason.BULLYING, reporter=friend, message=message, note="Not OK").case
    return case, before, message, after


@pytest.mark.parametrize("who", ["in_group", "leader", "evaluator"])
def test_the_moderation_pages_are_for_moderators_and_staff_only(request, reported, who):
    person = request.getfixturevalue(who)
    case = reported[0]
    for url in (
        reverse("messaging:moderation-queue"),
        reverse("messaging:moderation-case", args=[case.pk]),
        reverse("messaging:moderation-person", args=[case.subject_id]),
        reverse("messaging:moderation-audit"),
    ):
        response = browser(person).get(url)
        assert response.status_code == 403, url
        assert "It's ugly" not in response.content.decode()
    assert "Moderation</a>" not in browser(person).get(reverse("community:home")).content.decode()


def test_the_nav_links_moderators_to_the_queue(moderator, staff):
    for person in (moderator, staff):
        page = browser(person).get(reverse("community:home")).content.decode()
        assert reverse("messaging:moderation-queue") in page


def test_a_moderator_sees_the_report_in_context_and_hides_it_from_the_page(reported, moderator):
    case, before, message, after = reported
    client = browser(moderator)
    queue = client.get(reverse("messaging:moderation-queue")).content.decode()
    assert "A reported message" in queue and "Bullying or harassment" in queue
    page = client.get(reverse("messaging:moderation-case", args=[case.pk])).content.decode()
    for words in ("What do you all think", "It&#x27;s ugly and so are you", "That&#x27;s not kind", "Not OK"):
        assert words in page
    assert "Reported by Kai" in page
    url = reverse("messaging:moderation-message-action", args=[message.pk, "hide"])
    response = client.post(url, {"reason": "Unkind", "next": reverse("messaging:moderation-case", args=[case.pk])})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.is_hidden
    followed = client.get(response.url).content.decode()
    assert "Hidden" in followed and "Restore it for everyone" in followed


def test_claim_sanction_note_and_resolve_from_the_case_page(reported, moderator, in_group, room):
    case = reported[0]
    client = browser(moderator)
    here = reverse("messaging:moderation-case", args=[case.pk])
    client.post(reverse("messaging:moderation-case-change", args=[case.pk, "claim"]))
    client.post(
        reverse("messaging:moderation-sanction-add"),
        {"kind": "room_mute", "user_id": in_group.pk, "room_id": room.pk, "minutes": "60", "reason": "Cool off",
         "case_id": case.pk, "next": here},
    )  # fmt: skip
    client.post(reverse("messaging:moderation-note-add", args=[in_group.pk]), {"body": "Has been upset", "next": here})
    page = client.get(here).content.decode()
    assert "Muted in a chat" in page and "Has been upset" in page and "Put it back for anyone" in page
    assert Sanction.objects.get().case == case
    response = client.post(
        reverse("messaging:moderation-case-change", args=[case.pk, "resolve"]), {"outcome": "sanctioned"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "resolved" and case.outcome == "sanctioned"


@pytest.mark.parametrize("minutes", ["-5", "²", "1.5", "ten"])
def test_a_bad_duration_from_the_page_is_explained_and_nothing_changes(reported, moderator, in_group, minutes):
    client = browser(moderator)
    response = client.post(
        reverse("messaging:moderation-sanction-add"),
        {"kind": "silence", "user_id": in_group.pk, "minutes": minutes, "reason": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "whole number of minutes" in response.content.decode()
    assert not Sanction.objects.exists()


def test_a_held_message_is_approved_from_its_case(room, in_group, moderator):
    held = held_message(room, in_group)
    case = case_report_add(reason=ReportReason.NEW_MEMBER, message=held).case
    client = browser(moderator)
    page = client.get(reverse("messaging:moderation-case", args=[case.pk])).content.decode()
    assert "A held message" in page and "Approve: let everyone see it" in page
    client.post(reverse("messaging:moderation-message-action", args=[held.pk, "approve"]))
    held.refresh_from_db()
    assert not held.is_held


def test_the_person_page_shows_their_history(reported, moderator, in_group):
    from messaging.services.moderation.sanctions import member_warn

    member_warn(actor=moderator, user_id=in_group.pk, reason="Please be kind")
    page = browser(moderator).get(reverse("messaging:moderation-person", args=[in_group.pk])).content.decode()
    assert "Please be kind" in page and "Earlier reports about them" in page


def test_the_audit_log_page_filters_and_downloads_csv(reported, moderator, staff, in_group):
    from messaging.services.moderation.sanctions import member_warn

    member_warn(actor=moderator, user_id=in_group.pk, reason="Please be kind")
    member_warn(actor=staff, user_id=reported[1].author_id, reason="Thanks for reporting kindly")
    client = browser(staff)
    page = client.get(reverse("messaging:moderation-audit"), {"actor": moderator.pk}).content.decode()
    assert "Please be kind" in page and "Thanks for reporting" not in page
    csv_response = client.get(reverse("messaging:moderation-audit"), {"actor": moderator.pk, "download": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    body = csv_response.content.decode()
    assert "sanction.warn" in body and body.count("\n") == 2
    assert AuditEntry.objects.count() >= 2


def test_the_queue_filters(reported, moderator):
    client = browser(moderator)
    assert (
        "A reported message"
        not in client.get(reverse("messaging:moderation-queue"), {"filter": "mine"}).content.decode()
    )
    assert (
        "A reported message"
        in client.get(reverse("messaging:moderation-queue"), {"filter": "unclaimed"}).content.decode()
    )


def test_members_see_a_removed_message_as_removed_by_a_moderator(reported, moderator, friend, room):
    from messaging.services.moderation.actions import message_remove

    message = reported[2]
    message_remove(actor=moderator, message_id=message.pk, reason="Personal information")
    page = browser(friend).get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert "Removed by a moderator" in page and "Message deleted" not in page
    assert "so are you" not in page


@pytest.mark.parametrize(
    "elsewhere",
    ["https://elsewhere.example/", "//elsewhere.example/", "http://testserver/moderation/audit/"],
)
def test_the_next_field_only_ever_leads_back_to_a_path_on_this_site(reported, moderator, elsewhere):
    case, _, message, _ = reported
    client = Client()
    client.force_login(moderator)
    response = client.post(
        reverse("messaging:moderation-message-action", args=[message.pk, "hide"]),
        {"reason": "Unkind", "next": elsewhere},
        secure=True,  # a plain-http address on this site is a downgrade, refused like another site
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("messaging:moderation-queue")
    here = reverse("messaging:moderation-case", args=[case.pk])
    response = client.post(
        reverse("messaging:moderation-note-add", args=[case.subject_id]), {"body": "x", "next": here}
    )
    assert response["Location"] == here
