"""Reporting from pages (a message, a person, an event), the thank-you page, "My reports", and the REST API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.models import CaseOutcome, CaseStatus, ModerationCase, Report
from messaging.services.messages import message_send
from messaging.services.moderation.reports import report_message, reports_tell_outcome
from tests.events.domain_factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def kai_says(friend, room):
    return message_send(actor=friend, room_id=room.pk, body="you're rubbish", client_id="k-1").message


def test_the_report_form_has_the_seven_reasons_in_plain_words_and_reassurance(client, in_group, kai_says):
    client.force_login(in_group)
    page = client.get(reverse("messaging:report-message", args=[kai_says.pk])).content.decode()

    assert page.count('type="radio" name="reason"') == 7
    for words in ("Bullying or harassment", "Spam or adverts", "Something else", "personal information"):
        assert words in page
    assert "A moderator will look at this. They won't tell the other person it was you." in page
    assert "you&#x27;re rubbish" in page  # what you're reporting
    assert "<legend>What&#x27;s wrong?</legend>" in page


def test_sending_a_report_thanks_you_and_offers_block_and_mute(client, in_group, friend, kai_says):
    client.force_login(in_group)

    response = client.post(
        reverse("messaging:report-message", args=[kai_says.pk]), {"reason": "bullying", "note": "Every day"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Thanks for telling us" in page
    assert reverse("community:person-block", args=[friend.pk]) in page
    assert reverse("community:person-mute", args=[friend.pk]) in page
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note, report.case.message) == (
        in_group, "bullying", "Every day", kai_says
    )  # fmt: skip


def test_sending_it_again_is_kind_and_stores_nothing_new(client, in_group, kai_says):
    client.force_login(in_group)
    url = reverse("messaging:report-message", args=[kai_says.pk])
    client.post(url, {"reason": "bullying"})

    page = client.post(url, {"reason": "spam"}).content.decode()

    assert "You'd already told us about this" in page
    assert Report.objects.count() == 1


def test_a_self_harm_report_shows_where_to_get_help_now(client, in_group, kai_says):
    client.force_login(in_group)

    page = client.post(reverse("messaging:report-message", args=[kai_says.pk]), {"reason": "self_harm"})

    assert "If someone needs help now" in page.content.decode()
    assert "999" in page.content.decode()


def test_a_form_without_a_reason_or_with_a_long_note_is_shown_again(client, in_group, kai_says):
    client.force_login(in_group)
    url = reverse("messaging:report-message", args=[kai_says.pk])

    missing = client.post(url, {"note": "hmm"})
    too_long = client.post(url, {"reason": "spam", "note": "x" * 1001})

    assert missing.status_code == too_long.status_code == 400
    assert "Please choose the reason that fits best." in missing.content.decode()
    assert "The note can be up to 1,000 characters." in too_long.content.decode()
    assert not Report.objects.exists()


def test_report_pages_for_things_you_cannot_see_are_not_found(client, make_user, kai_says, friend, in_group):
    outsider = make_user(display_name="Outsider")
    client.force_login(outsider)

    assert client.get(reverse("messaging:report-message", args=[kai_says.pk])).status_code == 404
    assert client.get(reverse("messaging:report-person", args=[friend.pk])).status_code == 404
    client.force_login(in_group)
    assert client.get(reverse("messaging:report-person", args=[in_group.pk])).status_code == 400  # yourself


def test_a_person_and_an_event_can_be_reported_from_pages(client, in_group, friend, group):
    event = make_event(group, created_by=friend, title="Dodgy meet-up")
    client.force_login(in_group)

    event_page = client.get(reverse("events:event-detail", args=[event.pk])).content.decode()
    assert reverse("messaging:report-event", args=[event.pk]) in event_page
    client.post(reverse("messaging:report-person", args=[friend.pk]), {"reason": "personal_info"})
    client.post(reverse("messaging:report-event", args=[event.pk]), {"reason": "other"})

    assert sorted(ModerationCase.objects.values_list("kind", flat=True)) == ["event", "user"]


def test_my_reports_shows_status_and_the_outcome_in_plain_words(client, in_group, friend, kai_says):
    case = report_message(actor=in_group, message_id=kai_says.pk, reason="bullying").case
    client.force_login(in_group)
    url = reverse("messaging:my-reports")

    page = client.get(url).content.decode()
    assert "A message from Kai" in page and "Waiting for a moderator" in page

    ModerationCase.objects.filter(pk=case.pk).update(status=CaseStatus.RESOLVED, outcome=CaseOutcome.HIDDEN)
    reports_tell_outcome(case=case)
    page = client.get(url).content.decode()
    assert "Looked at" in page and "removed the message" in page


# --- the API ----------------------------------------------------------------------------------------------------------


def test_api_report_then_again_gives_the_same_answer(api_as, in_group, kai_says):
    api = api_as(in_group)
    url = f"/api/v1/messages/{kai_says.pk}/report/"

    first = api.post(url, {"reason": "bullying", "note": "mean"}, format="json")
    second = api.post(url, {"reason": "bullying"}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert first.json()["status"] == "open"
    assert "A moderator will look at this" in first.json()["detail"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"reason": "rude"}, "invalid_reason"),
        ({"reason": "spam", "note": "x" * 1001}, "note_too_long"),
        ({}, "invalid"),
        ({"reason": ["spam"]}, "invalid"),
    ],
)
def test_api_bad_input_gets_a_stable_code_and_stores_nothing(api_as, in_group, kai_says, body, code):
    response = api_as(in_group).post(f"/api/v1/messages/{kai_says.pk}/report/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not Report.objects.exists()


def test_api_my_reports(api_as, in_group, friend, kai_says):
    api_as(in_group).post(f"/api/v1/people/{friend.pk}/report/", {"reason": "other"}, format="json")

    rows = api_as(in_group).get("/api/v1/me/reports/").json()["results"]

    assert [(r["kind"], r["about"], r["status"], r["outcome"]) for r in rows] == [("user", "Kai", "open", None)]
    assert api_as(friend).get("/api/v1/me/reports/").json()["results"] == []  # only your own


def test_the_chat_page_offers_report_block_and_mute_on_other_peoples_messages_only(client, in_group, friend, room):
    message_send(actor=friend, room_id=room.pk, body="theirs", client_id="k-9")
    mine = message_send(actor=in_group, room_id=room.pk, body="mine", client_id="r-9").message
    client.force_login(in_group)

    response = client.get(reverse("messaging:room", args=[room.pk]))
    page = response.content.decode()

    assert page.count('class="chat-more"') == 1
    assert reverse("community:person-block", args=[friend.pk]) in page
    assert reverse("messaging:report-message", args=[mine.pk]) not in page
    links = response.context["chat_config"]["links"]
    assert links["report_message"] == reverse("messaging:report-message", args=[0])
