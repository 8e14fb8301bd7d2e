"""Deleting the account of a consenting member who came to events leaves the programme's attendance and connection
figures exactly as they were: their participation, ties, attendance and last consent answer move to an anonymous
stand-in, which counts the same way.

Wellbeing figures are another matter, by design: their check-ins are deleted with their account (the member asked for
their data to be erased), so averages that included them change. This member has none, so every table is compared.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from community.metrics.connections import network_density_change, new_ties_by_month, programme_connections
from community.models import User
from community.selectors.programme import TABLE_KEYS
from community.services.erasure import account_erase
from events.models import Attendance, CheckInMethod
from tests.community.programme_world import build_programme_world
from tests.events.domain_factories import make_event

pytestmark = pytest.mark.django_db


def figures(client) -> dict:
    today = timezone.localdate()
    start, end = today - timedelta(days=120), today + timedelta(days=1)
    return {
        "summary": client.get("/api/v1/programme/summary/").json(),
        "tables": {key: client.get(f"/api/v1/programme/tables/{key}/").json() for key in TABLE_KEYS},
        "connections": programme_connections(start=start, end=end),
        "new_ties": new_ties_by_month(start=date(start.year, start.month, 1), end=end),
        "density_change": network_density_change(
            before=(start, today - timedelta(days=25)), after=(today - timedelta(days=25), end)
        ),
    }


def test_erasing_a_consenting_member_who_came_to_events_changes_no_figure(api_as, staff, make_user, group):
    world = build_programme_world(make_user=make_user, group=group)
    leaving = world.consenting[0]
    event = make_event(group, title="Picnic", starts_in=timedelta(days=-10))
    for person in world.consenting[:4]:
        Attendance.objects.create(event=event, user=person, method=CheckInMethod.SELF)
    before = figures(api_as(staff))

    account_erase(actor=leaving, user=leaving, password="a-long-pass-phrase")

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert figures(api_as(staff)) == before
    assert Attendance.objects.filter(event=event).count() == 4
