"""The worked example of docs/metrics.md, verbatim: a tiny community the metric tests build and check.

Ana, Ben, Cal, Dee and Eli go to five events in January to April 2026; Fin, Gus, Hal, Ivy and Jo only do check-ins;
Kai's two check-ins are only six weeks apart. All eleven consent. Fay (who does not consent) is added by the consent
tests only. Import the `example` fixture into a test module to use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from community.models import (
    ActivityStatus,
    EvaluationConsent,
    Group,
    ParticipationEntry,
    User,
    WellbeingCheckIn,
)
from community.scoring import swemwbs_score, ucla_total
from community.services.participation import participation_record

PEOPLE = ["Ana", "Ben", "Cal", "Dee", "Eli", "Fin", "Gus", "Hal", "Ivy", "Jo", "Kai"]
GROUPS = {"tuesday-club": "Tuesday Club", "art-group": "Art Group"}

# key: (local date and time, group slug, category, who was there)
EVENTS = {
    "event:1": ("2026-01-06 18:00", "tuesday-club", "social", ["Ana", "Ben", "Cal"]),
    "event:2": ("2026-01-20 18:00", "tuesday-club", "social", ["Ana", "Ben", "Dee"]),
    "event:3": ("2026-02-14 14:00", "art-group", "wellbeing", ["Cal", "Eli"]),
    "event:4": ("2026-03-10 18:00", "tuesday-club", "social", ["Ben", "Dee", "Eli"]),
    "event:5": ("2026-04-18 14:00", "art-group", "learning", ["Ana", "Eli"]),
}

FIRST_CHECK_IN = "2026-01-05 10:00"
LATEST_CHECK_IN = "2026-04-06 10:00"  # 13 weeks later

# SWEMWBS raw totals (first, latest); the metric scores come from the published table.
SWEMWBS = {
    "Ana": (20, 23),
    "Ben": (17, 22),
    "Cal": (24, 24),
    "Dee": (14, 19),
    "Eli": (21, 26),
    "Fin": (25, 23),
    "Gus": (18, 22),
    "Hal": (19, 25),
    "Ivy": (28, 27),
    "Jo": (16, 21),
}
CAL_MIDDLE_CHECK_IN = ("2026-02-16 10:00", 30)  # between first and latest: ignored by the paired change
KAI_CHECK_INS = [("2026-01-05 10:00", 15), ("2026-02-16 10:00", 25)]  # six weeks apart: not paired

# ONS answers at the latest check-in (None = not answered). At the first check-in everyone gave life satisfaction 5,
# and Gus answered happiness 4 (his latest happiness answer, as he skipped it in April).
ONS_LATEST = {
    #      life_satisfaction, worthwhile, happiness, anxiety
    "Ana": (4, 4, 7, 0),
    "Ben": (5, 5, 7, 1),
    "Cal": (6, 6, 8, 2),
    "Dee": (7, 7, 9, 3),
    "Eli": (8, 8, 5, 4),
    "Fin": (9, 9, 2, 5),
    "Gus": (10, 10, None, 6),
    "Hal": (3, 3, None, 10),
    "Ivy": (7, 7, None, 2),
    "Jo": (0, 0, None, 5),
}
GUS_FIRST_HAPPINESS = 4

# Loneliness at the latest check-in: UCLA-3 items (companionship, left out, isolated) and the direct question.
UCLA_ITEMS = {
    "Ana": (1, 1, 1),
    "Ben": (2, 1, 1),
    "Cal": (2, 2, 1),
    "Dee": (2, 2, 2),
    "Eli": (3, 2, 2),
    "Fin": (3, 3, 3),
    "Gus": (1, 1, 1),
    "Hal": (2, 1, 1),
    "Ivy": (2, 2, 1),
    "Jo": None,
}
LONELY_DIRECT = {
    "Ana": "often_always",
    "Ben": "some_of_the_time",
    "Cal": "occasionally",
    "Dee": "hardly_ever",
    "Eli": "never",
    "Fin": "often_always",
    "Gus": "often_always",
    "Hal": "never",
    "Ivy": "",
    "Jo": "hardly_ever",
}

# Activity statuses (SSDA903 codes), oldest first; the newest counts. Gus and Kai have none.
ACTIVITY = {
    "Ana": [("2026-01-10", "F1"), ("2026-03-01", "G5")],
    "Ben": [("2026-01-10", "F5")],
    "Cal": [("2026-01-10", "P2")],
    "Dee": [("2026-01-10", "G6")],
    "Eli": [("2026-01-10", "0")],
    "Fin": [("2026-01-10", "F4")],
    "Hal": [("2026-01-10", "P5")],
    "Ivy": [("2026-01-10", "G4")],
    "Jo": [("2026-01-10", "F2")],
}


def at(text: str) -> datetime:
    """A local date ("2026-01-06") or date and time ("2026-01-06 18:00") in the site's time zone."""
    value = datetime.fromisoformat(text)
    return timezone.make_aware(value)


def day(text: str) -> date:
    return date.fromisoformat(text)


@dataclass
class Example:
    people: dict[str, User]
    groups: dict[str, Group]

    def __getitem__(self, name: str) -> User:
        return self.people[name]


def make_person(name: str, *, consents: bool = True) -> User:
    user = User.objects.create_user(
        email=f"{name.lower()}@example.org", password="a-long-pass-phrase", display_name=name
    )
    if consents:
        EvaluationConsent.objects.create(user=user, consents=True, recorded_at=at("2025-12-01"))
    return user


def check_in(user: User, when: str, *, raw: int | None = None, ons=(None,) * 4, ucla=None, direct: str = ""):
    """A check-in whose seven SWEMWBS answers add up to `raw` (scored with the published table)."""
    items = [None] * 7
    if raw is not None:
        items = [1] * 7
        for index in range(raw - 7):
            items[index % 7] += 1
    swemwbs_raw, swemwbs_metric = swemwbs_score(items)
    life, worthwhile, happiness, anxiety = ons
    return WellbeingCheckIn.objects.create(
        user=user,
        created_at=at(when),
        **{f"swemwbs_{n}": value for n, value in enumerate(items, start=1)},
        swemwbs_raw=swemwbs_raw,
        swemwbs_metric=swemwbs_metric,
        ons_life_satisfaction=life,
        ons_worthwhile=worthwhile,
        ons_happiness=happiness,
        ons_anxiety=anxiety,
        **dict(zip(["ucla_companionship", "ucla_left_out", "ucla_isolated"], ucla or (None,) * 3, strict=True)),
        ucla_total=ucla_total(ucla) if ucla else None,
        lonely_direct=direct,
    )


def attend(user: User, key: str, *, groups: dict[str, Group]) -> ParticipationEntry:
    when, slug, category, _ = EVENTS[key]
    return participation_record(
        user=user, activity_key=key, group=groups[slug], category=category, occurred_at=at(when)
    )


def build_example() -> Example:
    groups = {slug: Group.objects.create(name=name, slug=slug) for slug, name in GROUPS.items()}
    people = {name: make_person(name) for name in PEOPLE}
    for key, (_, _, _, names) in EVENTS.items():
        for name in names:
            attend(people[name], key, groups=groups)
    for name, (first, latest) in SWEMWBS.items():
        first_happiness = GUS_FIRST_HAPPINESS if name == "Gus" else None
        check_in(people[name], FIRST_CHECK_IN, raw=first, ons=(5, None, first_happiness, None))
        check_in(
            people[name],
            LATEST_CHECK_IN,
            raw=latest,
            ons=ONS_LATEST[name],
            ucla=UCLA_ITEMS[name],
            direct=LONELY_DIRECT[name],
        )
    check_in(people["Cal"], CAL_MIDDLE_CHECK_IN[0], raw=CAL_MIDDLE_CHECK_IN[1])
    for when, raw in KAI_CHECK_INS:
        check_in(people["Kai"], when, raw=raw)
    for name, statuses in ACTIVITY.items():
        for when, code in statuses:
            ActivityStatus.objects.create(user=people[name], code=code, recorded_at=at(when))
    return Example(people=people, groups=groups)


@pytest.fixture
def example(db) -> Example:
    return build_example()
