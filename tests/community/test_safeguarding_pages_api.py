"""Safeguarding pages and API: the support page for everyone (linked from every page's footer), the phrase list with
its test box for moderators and staff, the contacts editor for staff, and the JSON endpoints."""

from __future__ import annotations

import pytest

from community.models import SafeguardingConcern, SafeguardingPhrase, SupportContact

pytestmark = pytest.mark.django_db


def test_the_support_page_lists_every_active_contact_kindly(client, member):
    SupportContact.objects.create(service="Old line", contact="Call 0000", is_active=False)
    client.force_login(member)
    page = client.get("/support/").content.decode()

    for contact in SupportContact.objects.filter(is_active=True):
        assert contact.service in page and contact.contact in page
    assert "Old line" not in page
    assert "won't be in trouble" in page


def test_the_support_page_is_open_to_someone_not_signed_in_and_linked_from_the_footer(client):
    assert client.get("/support/").status_code == 200
    assert 'href="/support/"' in client.get("/").content.decode()


def test_the_phrase_page_tests_a_text_and_shows_what_would_happen(client, moderator):
    client.force_login(moderator)
    page = client.get("/safeguarding/phrases/", {"text": "this homework is killing me, i want to die"}).content
    page = page.decode()

    assert "kiling me" in page  # how the detector reads it
    assert "killing me" in page and "want to die" in page
    assert "would be held" in page


def test_moderators_add_and_switch_off_phrases_from_the_page(client, moderator):
    client.force_login(moderator)
    response = client.post("/safeguarding/phrases/", {"phrase": "nobody gets it", "category": "suicide"})
    assert response.status_code == 302
    row = SafeguardingPhrase.objects.get(phrase="nobody gets it")

    client.post(f"/safeguarding/phrases/{row.pk}/", {"is_active": "0"})
    assert not SafeguardingPhrase.objects.get(pk=row.pk).is_active
    client.post(f"/safeguarding/phrases/{row.pk}/", {"action": "remove"})
    assert not SafeguardingPhrase.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("path", ["/safeguarding/phrases/", "/safeguarding/contacts/"])
def test_members_cannot_open_the_moderator_pages(client, member, path):
    client.force_login(member)
    assert client.get(path).status_code == 403


def test_staff_edit_contacts_from_the_page_and_moderators_cannot(client, staff, moderator):
    client.force_login(moderator)
    assert client.get("/safeguarding/contacts/").status_code == 403
    client.force_login(staff)
    assert "Samaritans" in client.get("/safeguarding/contacts/").content.decode()

    client.post("/safeguarding/contacts/", {"service": "Local team", "contact": "Call 0800 1", "position": "9"})
    row = SupportContact.objects.get(service="Local team")
    client.post(f"/safeguarding/contacts/{row.pk}/remove/")
    assert not SupportContact.objects.filter(pk=row.pk).exists()


def test_members_read_the_contacts_from_the_api(api_as, member):
    body = api_as(member).get("/api/v1/safeguarding/support-contacts/").json()
    assert [row["service"] for row in body] == list(
        SupportContact.objects.filter(is_active=True).values_list("service", flat=True)
    )


def test_the_api_test_box_explains_without_saving(api_as, moderator):
    before = SafeguardingConcern.objects.count()
    body = (
        api_as(moderator)
        .post(
            "/api/v1/safeguarding/phrases/test/", {"text": "dying to see you! also i want to kil myslef"}, format="json"
        )
        .json()
    )

    assert body["set_aside"] == ["dying to"]
    assert body["matched"] == ["kill myself"] and body["categories"] == ["suicide"]
    assert body["is_crisis"] is True and "alerted" in body["would_happen"]
    assert SafeguardingConcern.objects.count() == before


def test_the_api_refuses_bad_phrase_input_with_a_code(api_as, moderator):
    response = api_as(moderator).post(
        "/api/v1/safeguarding/phrases/", {"phrase": "want to die", "category": "suicide"}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "phrase_exists")
    response = api_as(moderator).post("/api/v1/safeguarding/phrases/", {"phrase": "x", "category": "?"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_the_api_resolves_a_concern_once(api_as, moderator, member):
    from django.utils import timezone

    concern = SafeguardingConcern.objects.create(
        person=member, source="message", source_id=1, excerpt="i want to die", due_at=timezone.now()
    )
    client = api_as(moderator)
    first = client.post(f"/api/v1/safeguarding/concerns/{concern.pk}/resolve/", {"outcome": "referred"}, format="json")
    again = client.post(f"/api/v1/safeguarding/concerns/{concern.pk}/resolve/", {"outcome": "supported"}, format="json")

    assert first.status_code == again.status_code == 200
    assert again.json()["outcome"] == "referred"
    assert client.get("/api/v1/safeguarding/concerns/").json() == []


def test_the_alert_links_to_a_concern_page_where_a_moderator_claims_and_resolves(
    client, moderator, member, django_capture_on_commit_callbacks
):
    from community.models import ModeratorDuty, Notification
    from community.services.safeguarding import crisis_scan, safeguarding_concern_raise

    ModeratorDuty.objects.create(moderator=moderator)
    text = "i want to die"
    with django_capture_on_commit_callbacks(execute=True):
        concern = safeguarding_concern_raise(
            person=member, source="message", source_id=5, text=text, scan=crisis_scan(text=text)
        )
    alert = Notification.objects.get(user=moderator, kind="safeguarding_alert")
    assert alert.url == f"/moderation/concerns/{concern.pk}/"

    client.force_login(moderator)
    assert member.display_name in client.get("/moderation/").content.decode()
    page = client.get(alert.url).content.decode()
    assert text in page and "I'll handle this" in page
    client.post(f"{alert.url}claim/")
    client.post(f"{alert.url}resolve/", {"outcome": "supported", "note": "Spoke to them."})
    concern.refresh_from_db()
    assert (concern.claimed_by, concern.status, concern.outcome) == (moderator, "resolved", "supported")


def test_members_cannot_open_a_concern_page(client, member):
    from django.utils import timezone

    concern = SafeguardingConcern.objects.create(
        person=member, source="message", source_id=1, excerpt="i want to die", due_at=timezone.now()
    )
    client.force_login(member)
    assert client.get(f"/moderation/concerns/{concern.pk}/").status_code == 403
    assert client.get("/moderation/").status_code == 403


def test_the_schema_describes_the_safeguarding_endpoints(api_as, staff):
    paths = api_as(staff).get("/api/schema/", {"format": "json"}).json()["paths"]

    for path in (
        "/api/v1/safeguarding/support-contacts/",
        "/api/v1/safeguarding/support-contacts/{contact_id}/",
        "/api/v1/safeguarding/phrases/",
        "/api/v1/safeguarding/phrases/{phrase_id}/",
        "/api/v1/safeguarding/phrases/test/",
        "/api/v1/safeguarding/concerns/",
        "/api/v1/safeguarding/concerns/{concern_id}/claim/",
        "/api/v1/safeguarding/concerns/{concern_id}/resolve/",
    ):
        assert path in paths, path
        assert all(operation["tags"] == ["safeguarding"] for operation in paths[path].values())


def test_a_member_sending_a_bad_body_to_a_moderators_endpoint_is_refused_as_not_a_moderator(api_as, member):
    from django.utils import timezone

    phrase = SafeguardingPhrase.objects.create(phrase="a listed phrase", category="suicide")
    concern = SafeguardingConcern.objects.create(
        person=member, source="message", source_id=1, excerpt="i want to die", due_at=timezone.now()
    )
    client = api_as(member)
    for response in (
        client.post("/api/v1/safeguarding/phrases/", {"category": "nonsense"}, format="json"),
        client.patch(f"/api/v1/safeguarding/phrases/{phrase.pk}/", {"category": "nonsense"}, format="json"),
        client.post(f"/api/v1/safeguarding/concerns/{concern.pk}/resolve/", {"outcome": "nonsense"}, format="json"),
    ):
        assert response.status_code == 403, response.json()
        assert response.json()["code"] == "moderators_only"
