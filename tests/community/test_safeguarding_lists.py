"""The lists behind safeguarding: editing phrases (moderators and staff, audited, picked up by the next scan at once),
the default list top-up command, and support contacts (seeded from the reference file; staff edit them)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

from community import reference
from community.errors import Conflict, Forbidden, InvalidInput
from community.models import AuditEntry, SafeguardingPhrase, SiteRole, SupportContact
from community.safeguarding_data import default_crisis_phrases
from community.services.safeguarding import (
    VERSION_KEY,
    crisis_phrases_load_defaults,
    crisis_scan,
    safeguarding_phrase_add,
    safeguarding_phrase_remove,
    safeguarding_phrase_update,
    support_contact_remove,
    support_contact_save,
    support_contacts_load_defaults,
)
from community.textmatch import words

pytestmark = pytest.mark.django_db


@pytest.fixture
def edit(django_capture_on_commit_callbacks):
    """Run a phrase edit and what it does on commit (bumping the list's version for every process)."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def test_an_added_phrase_is_found_by_the_next_scan(moderator, edit):
    assert not crisis_scan(text="i feel like giving up on everything").is_crisis

    row = edit(safeguarding_phrase_add, actor=moderator, phrase="  Giving UP on everything ", category="suicide")

    assert row.phrase == "giving up on everything"
    assert crisis_scan(text="i feel like giving up on everything").matched == ["giving up on everything"]
    assert AuditEntry.objects.filter(action="safeguarding.phrase_added", actor=moderator).exists()


def test_switching_off_and_removing_are_picked_up_at_once(staff, edit):
    row = SafeguardingPhrase.objects.get(phrase="want to die")
    assert crisis_scan(text="i want to die").is_crisis

    edit(safeguarding_phrase_update, actor=staff, phrase_id=row.pk, is_active=False)
    assert not crisis_scan(text="i want to die").is_crisis

    edit(safeguarding_phrase_update, actor=staff, phrase_id=row.pk, is_active=True)
    assert crisis_scan(text="i want to die").is_crisis

    edit(safeguarding_phrase_remove, actor=staff, phrase_id=row.pk)
    assert "want to die" not in crisis_scan(text="i want to die").matched
    assert AuditEntry.objects.filter(action="safeguarding.phrase_removed", data__before__phrase="want to die").exists()


def test_another_process_rebuilds_when_the_version_in_the_cache_moves(moderator):
    assert not crisis_scan(text="the void is calling me").is_crisis
    SafeguardingPhrase.objects.create(phrase="the void is calling", category="suicide")  # as another process would
    assert not crisis_scan(text="the void is calling me").is_crisis, "kept compiled until told"

    cache.set(VERSION_KEY, cache.get(VERSION_KEY) + 1)  # what that process's edit does on commit

    assert crisis_scan(text="the void is calling me").is_crisis


def test_a_look_alike_phrase_sets_crisis_words_aside(moderator, edit):
    assert crisis_scan(text="my knees want to die after leg day").is_crisis
    edit(safeguarding_phrase_add, actor=moderator, phrase="want to die after leg day", category="not_crisis")
    assert not crisis_scan(text="my knees want to die after leg day").is_crisis


@pytest.mark.parametrize(
    ("phrase", "category", "code"),
    [("", "suicide", "invalid_phrase"), ("  ***", "suicide", "invalid_phrase"), ("cut*ting", "self_harm",
     "invalid_phrase"), ("x" * 121, "suicide", "too_long"), ("fine words", "sadness", "invalid_category")],
)  # fmt: skip
def test_bad_phrases_are_refused(moderator, phrase, category, code):
    before = SafeguardingPhrase.objects.count()
    with pytest.raises(InvalidInput) as refused:
        safeguarding_phrase_add(actor=moderator, phrase=phrase, category=category)
    assert refused.value.code == code
    assert SafeguardingPhrase.objects.count() == before


def test_a_phrase_already_listed_is_a_conflict(moderator):
    with pytest.raises(Conflict):
        safeguarding_phrase_add(actor=moderator, phrase="want to die", category="suicide")


@pytest.mark.parametrize("role", [SiteRole.MEMBER, SiteRole.EVALUATOR])
def test_members_and_evaluators_cannot_edit_the_phrase_list(make_user, role):
    person = make_user(role=role)
    row = SafeguardingPhrase.objects.get(phrase="want to die")
    with pytest.raises(Forbidden):
        safeguarding_phrase_add(actor=person, phrase="anything at all", category="danger")
    with pytest.raises(Forbidden):
        safeguarding_phrase_update(actor=person, phrase_id=row.pk, is_active=False)
    with pytest.raises(Forbidden):
        safeguarding_phrase_remove(actor=person, phrase_id=row.pk)
    assert SafeguardingPhrase.objects.get(pk=row.pk).is_active


def test_the_top_up_command_adds_missing_defaults_and_keeps_the_operators_edits(capsys):
    SafeguardingPhrase.objects.filter(phrase="want to die").delete()
    SafeguardingPhrase.objects.filter(phrase="wanna die").update(is_active=False)
    SafeguardingPhrase.objects.create(phrase="our local word", category="danger")

    call_command("load_crisis_phrases")

    assert "Added 1 default phrase." in capsys.readouterr().out
    assert SafeguardingPhrase.objects.filter(phrase="want to die").exists()
    assert not SafeguardingPhrase.objects.get(phrase="wanna die").is_active
    assert SafeguardingPhrase.objects.filter(phrase="our local word").exists()
    assert crisis_phrases_load_defaults() == 0


def test_the_default_list_has_no_duplicates_and_only_known_categories():
    defaults = default_crisis_phrases()
    as_read = [("".join(words(phrase.rstrip("*"))), phrase.endswith("*")) for phrase, _ in defaults]
    assert len(as_read) == len(set(as_read)), "two phrases that read the same ('kill my self', 'kill myself')"
    assert {category for _, category in defaults} == {"self_harm", "suicide", "abuse", "danger", "not_crisis"}


def test_the_seeded_support_contacts_are_the_reference_file():
    seeded = list(SupportContact.objects.order_by("position").values("service", "contact", "when", "who"))
    assert seeded == reference.signposting_contacts()
    assert support_contacts_load_defaults() == 0, "never adds to a list the operator has"


def test_staff_add_change_and_remove_contacts_audited(staff):
    row = support_contact_save(actor=staff, service="Local crisis team", contact="Call 0800 000 000", position=7)
    changed = support_contact_save(
        actor=staff, contact_id=row.pk, service="Local crisis team", contact="Call 0800 111 111", position=7
    )
    support_contact_remove(actor=staff, contact_id=row.pk)
    support_contact_remove(actor=staff, contact_id=row.pk)  # already gone: fine

    assert changed.contact == "Call 0800 111 111"
    assert not SupportContact.objects.filter(pk=row.pk).exists()
    actions = set(AuditEntry.objects.filter(actor=staff).values_list("action", flat=True))
    assert actions == {"safeguarding.contact_added", "safeguarding.contact_changed", "safeguarding.contact_removed"}


def test_moderators_cannot_edit_contacts_and_bad_contacts_are_refused(moderator, staff):
    with pytest.raises(Forbidden):
        support_contact_save(actor=moderator, service="X", contact="Call 1")
    with pytest.raises(InvalidInput):
        support_contact_save(actor=staff, service="", contact="Call 1")
    with pytest.raises(InvalidInput):
        support_contact_save(actor=staff, service="X", contact="Call 1", position=-3)
