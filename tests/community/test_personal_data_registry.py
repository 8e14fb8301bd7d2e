"""The list of what we keep about a person covers every table that points at a person."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings

from community.personal_data import NOT_PERSONAL_DATA, OnErasure, personal_data_sections

_ON_ERASURE = {OnErasure.ERASED, OnErasure.ANONYMISED, OnErasure.TEXT_ERASED, OnErasure.KEPT_FOR_SAFEGUARDING}


def _tables_pointing_at_people() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {user_model._meta.label}
    for model in apps.get_models(include_auto_created=False):
        if any(
            field.is_relation and field.concrete and field.related_model is user_model
            for field in model._meta.get_fields()
        ):
            found.add(model._meta.label)
    return found


def test_every_table_that_points_at_a_person_is_in_a_section_or_explained():
    covered = {label for section in personal_data_sections() for label in section.models}
    missing = _tables_pointing_at_people() - covered - set(NOT_PERSONAL_DATA) - {"admin.LogEntry"}
    assert not missing, f"Add these tables to a section in <app>/data_rights/sections.py: {sorted(missing)}"


def test_a_table_is_in_one_section_only_and_every_label_is_real():
    labels = [label for section in personal_data_sections() for label in section.models]
    assert len(labels) == len(set(labels))
    for label in [*labels, *NOT_PERSONAL_DATA]:
        apps.get_model(label)  # raises LookupError for a typo


def test_each_section_says_in_plain_words_what_erasure_does():
    for section in personal_data_sections():
        assert section.on_erasure in _ON_ERASURE, section.key
        assert section.title and section.what and section.why and section.how_long
