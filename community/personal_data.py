"""The one list of what Here and Now keeps about a person: the export, the "what we keep about you" page, erasure and
docs/privacy.md all follow it.

Each app in settings.HN_DATA_RIGHTS_APPS has a `data_rights` package whose `sections.py` holds `SECTIONS`, a list of
`PersonalDataSection`. community never imports events or messaging: it finds them through that setting.

A test (tests/community/test_personal_data_registry.py) fails when a table that points at a person is in no section
and not in NOT_PERSONAL_DATA, so a new table can't be forgotten by the export or by erasure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.conf import settings


class OnErasure:
    """What erasing an account does to a section, in the plain words the pages show."""

    ERASED = "Deleted when you delete your account."
    ANONYMISED = "Kept without your name, only as a count, so past figures don't change."
    TEXT_ERASED = 'The words are deleted; what\'s left shows as "deleted member".'
    KEPT_FOR_SAFEGUARDING = "Kept for safeguarding for a set time after you leave, then deleted."


@dataclass(frozen=True)
class PersonalDataSection:
    key: str  # stable; the export's JSON key
    title: str  # plain words: "Messages you wrote"
    what: str  # what we keep, in plain words
    why: str  # why we keep it
    how_long: str  # how long, in plain words
    on_erasure: str  # one of OnErasure
    models: tuple[str, ...]  # "app_label.ModelName" of every table it covers
    # "app.module:function" taking (user) and returning JSON-ready data; None: not in the export (say why in `what`).
    exporter: str | None = None

    def export(self, user) -> Any:
        if self.exporter is None:
            return None
        return _resolve(self.exporter)(user)


def _resolve(dotted: str) -> Callable:
    module, _, name = dotted.partition(":")
    return getattr(import_module(module), name)


# Tables that point at a person but hold nothing about them. Each says why.
NOT_PERSONAL_DATA: dict[str, str] = {
    "authtoken.TokenProxy": "the admin's view of authtoken.Token",
    "community.SafeguardingPhrase": "the crisis phrase list, written by staff",
    "community.SupportContact": "support organisations' contact details",
    "community.PolicyDocument": "the published agreement and notice (published_by is staff, set to empty on erasure)",
    "community.RetentionRun": "counts of what each retention run removed",
    "community.Group": "a group (created_by is set to empty when that person is erased)",
    "events.EventSeries": "a series of events (created_by is set to empty on erasure)",
    "events.Event": "an event (created_by is set to empty on erasure)",
    "messaging.WordListEntry": "the moderators' word list (created_by is set to empty on erasure)",
    "messaging.StaffedHours": "a room's opening hours",
}


@cache
def personal_data_sections() -> tuple[PersonalDataSection, ...]:
    """Every section, community's first, then each app's in settings order."""
    apps = ["community", *[name for name in settings.HN_DATA_RIGHTS_APPS if name != "community"]]
    sections: list[PersonalDataSection] = []
    for app in apps:
        sections.extend(import_module(f"{app}.data_rights.sections").SECTIONS)
    keys = [section.key for section in sections]
    if len(keys) != len(set(keys)):
        raise RuntimeError(f"Two personal-data sections share a key: {sorted(keys)}")
    return tuple(sections)


def data_rights_modules(name: str) -> list[Any]:
    """Each app's `data_rights.<name>` module (erase, retention), in settings.HN_DATA_RIGHTS_APPS order."""
    return [import_module(f"{app}.data_rights.{name}") for app in settings.HN_DATA_RIGHTS_APPS]
