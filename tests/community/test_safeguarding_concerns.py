"""Raising a safeguarding concern: the person gets the support contacts, moderators on duty and leads are alerted
(everyone who moderates when nobody is on duty), emails go at once; claiming and resolving are for moderators."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from community.errors import Forbidden, InvalidInput, NotFound
from community.models import AuditEntry, ModeratorDuty, Notification, SafeguardingConcern, SiteRole, SupportContact
from community.services.safeguarding import (
    ConcernOutcome,
    crisis_scan,
    safeguarding_concern_claim,
    safeguarding_concern_raise,
    safeguarding_concern_resolve,
)

pytestmark = pytest.mark.django_db

TEXT = "i honestly want to die"


@pytest.fixture
def raise_concern(django_capture_on_commit_callbacks):
    """Raise a concern as the chat send path does (inside its transaction), then run what happens on commit."""

    def raise_for(person):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return safeguarding_concern_raise(
                person=person, source="message", source_id=42, text=TEXT, scan=crisis_scan(text=TEXT)
            )

    return raise_for


@pytest.fixture
def on_duty(make_user):
    user = make_user(role=SiteRole.MODERATOR, display_name="Duty Dee")
    ModeratorDuty.objects.create(moderator=user)
    return user


@pytest.fixture
def off_duty(make_user):
    return make_user(role=SiteRole.MODERATOR, display_name="Resting Ray")


@pytest.fixture
def lead(make_user):
    return make_user(role=SiteRole.STAFF, display_name="Lead Lou", is_safeguarding_lead=True)


def test_the_concern_records_what_was_found_with_a_one_hour_deadline(member, on_duty, raise_concern):
    before = timezone.now()
    concern = raise_concern(member)

    assert (concern.person, concern.source, concern.source_id) == (member, "message", 42)
    assert concern.excerpt == TEXT
    assert concern.categories == ["suicide"] and concern.matched == ["want to die"]
    assert concern.status == "open"
    assert 59 * 60 <= (concern.due_at - before).total_seconds() <= 61 * 60
    assert AuditEntry.objects.filter(action="safeguarding.concern_raised", target_id=str(concern.pk)).exists()


def test_the_person_gets_a_kind_message_with_every_active_support_contact_by_email_at_once(
    member, on_duty, raise_concern
):
    SupportContact.objects.create(service="Switched off line", contact="Call 0000", is_active=False)
    raise_concern(member)

    support = Notification.objects.get(user=member, kind="safeguarding_support")
    for contact in SupportContact.objects.filter(is_active=True):
        assert contact.service in support.body and contact.contact in support.body
    assert "Switched off line" not in support.body
    assert support.url == "/support/"
    assert "not in trouble" in support.body
    for unkind in ("warning", "violat", "breach", "banned"):
        assert unkind not in (support.title + support.body).lower()
    assert any(member.email in message.to and "Samaritans" in message.body for message in mail.outbox)


def test_moderators_on_duty_and_leads_are_alerted_live_and_by_email_others_are_not(
    member, on_duty, off_duty, lead, raise_concern
):
    raise_concern(member)

    alerted = set(Notification.objects.filter(kind="safeguarding_alert").values_list("user_id", flat=True))
    assert alerted == {on_duty.pk, lead.pk}
    emailed = {address for message in mail.outbox for address in message.to}
    assert {on_duty.email, lead.email} <= emailed
    assert off_duty.email not in emailed


def test_when_nobody_is_on_duty_every_moderator_and_the_lead_are_alerted(
    member, off_duty, lead, make_user, raise_concern
):
    another = make_user(role=SiteRole.MODERATOR)
    raise_concern(member)

    alerted = set(Notification.objects.filter(kind="safeguarding_alert").values_list("user_id", flat=True))
    assert alerted == {off_duty.pk, another.pk, lead.pk}


def test_the_alert_does_not_carry_the_persons_words(member, on_duty, raise_concern):
    raise_concern(member)

    alert = Notification.objects.get(kind="safeguarding_alert")
    assert TEXT not in alert.body
    assert member.display_name in alert.title


def test_nothing_is_sent_if_the_callers_transaction_rolls_back(member, on_duty, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        safeguarding_concern_raise(person=member, source="pulse", source_id=1, text=TEXT, scan=crisis_scan(text=TEXT))
        raise RuntimeError("the message could not be saved")

    assert not SafeguardingConcern.objects.exists()
    assert mail.outbox == []


def test_moderators_claim_and_resolve_and_doing_it_twice_changes_nothing(member, on_duty, off_duty, raise_concern):
    concern = raise_concern(member)

    claimed = safeguarding_concern_claim(actor=on_duty, concern_id=concern.pk)
    again = safeguarding_concern_claim(actor=on_duty, concern_id=concern.pk)
    resolved = safeguarding_concern_resolve(
        actor=on_duty, concern_id=concern.pk, outcome=ConcernOutcome.SUPPORTED, note="Called them, they're ok."
    )
    twice = safeguarding_concern_resolve(actor=off_duty, concern_id=concern.pk, outcome=ConcernOutcome.NO_CONCERN)

    assert claimed.claimed_by == on_duty and again.claimed_at == claimed.claimed_at
    assert resolved.status == "resolved" and resolved.outcome == "supported"
    assert twice.resolved_by == on_duty and twice.outcome == "supported"
    actions = list(AuditEntry.objects.filter(target_id=str(concern.pk)).values_list("action", flat=True))
    assert actions.count("safeguarding.concern_claimed") == 1
    assert actions.count("safeguarding.concern_resolved") == 1


def test_members_cannot_claim_or_resolve(member, make_user, on_duty, raise_concern):
    concern = raise_concern(member)
    other = make_user()

    with pytest.raises(Forbidden):
        safeguarding_concern_claim(actor=other, concern_id=concern.pk)
    with pytest.raises(Forbidden):
        safeguarding_concern_resolve(actor=member, concern_id=concern.pk, outcome=ConcernOutcome.SUPPORTED)
    assert SafeguardingConcern.objects.get().status == "open"


def test_bad_outcomes_and_missing_concerns_are_refused(member, on_duty, raise_concern):
    concern = raise_concern(member)

    with pytest.raises(InvalidInput):
        safeguarding_concern_resolve(actor=on_duty, concern_id=concern.pk, outcome="shrug")
    with pytest.raises(NotFound):
        safeguarding_concern_claim(actor=on_duty, concern_id=concern.pk + 100)
    assert SafeguardingConcern.objects.get().status == "open"
