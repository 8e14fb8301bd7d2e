"""Consent to count in programme figures: default no, a history of changes, audited; the invitation switch."""

import pytest

from community.errors import Forbidden, InvalidInput
from community.models import AuditEntry, EvaluationConsent, WellbeingSettings
from community.selectors.consent import consenting_users, consents_now
from community.services.wellbeing import consent_current, consent_set, wellbeing_settings_for, wellbeing_settings_set

pytestmark = pytest.mark.django_db


def test_a_member_who_never_answered_does_not_consent(member):
    assert consent_current(user=member) is None
    assert not consents_now(user=member)
    assert member not in consenting_users()


def test_saying_no_when_the_answer_is_already_no_adds_nothing(member):
    answer = consent_set(actor=member, consents=False)
    assert answer.consents is False and answer.pk is None
    assert not EvaluationConsent.objects.exists()
    assert not AuditEntry.objects.filter(action="evaluation_consent_set").exists()


def test_each_change_adds_a_row_and_the_newest_is_the_answer_now(member):
    consent_set(actor=member, consents=True)
    consent_set(actor=member, consents=True)
    assert consents_now(user=member)
    consent_set(actor=member, consents=False)
    consent_set(actor=member, consents=True)
    history = list(EvaluationConsent.objects.filter(user=member).order_by("recorded_at", "id"))
    assert [row.consents for row in history] == [True, False, True]
    assert consent_current(user=member) == history[-1]
    assert member in consenting_users()


def test_every_change_of_consent_is_audited_with_before_and_after(member):
    consent_set(actor=member, consents=True)
    consent_set(actor=member, consents=False)
    entries = AuditEntry.objects.filter(action="evaluation_consent_set").order_by("id")
    assert [entry.data for entry in entries] == [{"before": False, "after": True}, {"before": True, "after": False}]
    assert all(entry.actor == member for entry in entries)


def test_consent_must_be_a_plain_yes_or_no(member):
    with pytest.raises(InvalidInput):
        consent_set(actor=member, consents="yes")


def test_evaluators_have_no_consent_to_give(evaluator):
    with pytest.raises(Forbidden):
        consent_set(actor=evaluator, consents=True)
    with pytest.raises(Forbidden):
        wellbeing_settings_set(actor=evaluator, invitations_on=False)


def test_invitations_are_on_until_switched_off_and_switching_is_idempotent(member):
    assert wellbeing_settings_for(user=member).invitations_on is True
    wellbeing_settings_set(actor=member, invitations_on=False)
    wellbeing_settings_set(actor=member, invitations_on=False)
    assert WellbeingSettings.objects.get(user=member).invitations_on is False
    wellbeing_settings_set(actor=member, invitations_on=True)
    assert wellbeing_settings_for(user=member).invitations_on is True
