"""A small programme for the programme-figure tests: consenting and non-consenting members at events of two kinds.

- 14 consenting members ("Person 00".."Person 13") and 3 who never consented ("Quiet 0".."Quiet 2");
- four social events of Art Club, 40, 30, 20 and 10 days ago: every consenting member and every quiet one at each;
- one learning event 5 days ago with 3 consenting members (a cell below the threshold, shown as c).
Participation goes through community.services.participation, so ties agree with the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from community.models import EvaluationConsent, Group, User
from community.services.participation import participation_record

CONSENTING = 14
QUIET = 3


@dataclass
class ProgrammeWorld:
    group: Group
    consenting: list[User]
    quiet: list[User]


def build_programme_world(*, make_user, group: Group) -> ProgrammeWorld:
    now = timezone.now()
    consenting = [make_user(display_name=f"Person {n:02d}") for n in range(CONSENTING)]
    quiet = [make_user(display_name=f"Quiet {n}") for n in range(QUIET)]
    for person in consenting:
        EvaluationConsent.objects.create(user=person, consents=True, recorded_at=now - timedelta(days=60))
    for days, number in ((40, 1), (30, 2), (20, 3), (10, 4)):
        for person in [*consenting, *quiet]:
            participation_record(
                user=person, activity_key=f"event:{number}", group=group, category="social",
                occurred_at=now - timedelta(days=days),
            )  # fmt: skip
    for person in consenting[:3]:
        participation_record(
            user=person, activity_key="event:5", group=group, category="learning", occurred_at=now - timedelta(days=5)
        )
    return ProgrammeWorld(group=group, consenting=consenting, quiet=quiet)
