"""A member does a check-in and sees their chart on My dashboard: the SVG with its text alternative and its table,
axe-clean on a phone-sized screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.services.wellbeing import checkin_record


@pytest.mark.django_db(transaction=True)
def test_member_checks_in_and_sees_their_wellbeing_chart(page, axe_check, log_in, make_user):
    member = make_user(display_name="Robin", email="robin@example.org")
    earlier = checkin_record(
        actor=member, answers={**{f"swemwbs_{n}": 3 for n in range(1, 8)}, "ons_anxiety": 6, "ons_happiness": 5}
    )
    earlier.created_at = timezone.now() - timedelta(days=35)
    earlier.save(update_fields=["created_at"])
    checkin_record(
        actor=member,
        answers={
            **{f"swemwbs_{n}": 4 for n in range(1, 8)},
            "ons_anxiety": 3,
            "ons_happiness": 7,
            "ucla_companionship": 1,
            "ucla_left_out": 2,
            "ucla_isolated": 1,
        },
    )

    log_in("robin@example.org")
    page.goto("/me/")
    page.get_by_role("link", name="My dashboard: my wellbeing, connections and goals").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "My dashboard"

    chart = page.get_by_role("img", name="My wellbeing score over time")
    assert chart.is_visible()
    assert page.get_by_text("within 3 points of your first score").first.is_visible()
    table = page.get_by_role("table", name="The numbers: My wellbeing score over time (shaded band", exact=False)
    assert table.get_by_role("row").count() == 3  # header and two check-ins
    text = page.locator(".chart-text").first.inner_text()
    assert "Wellbeing score: 2 answers" in text
    assert page.get_by_text("Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS)").first.is_visible()
    assert page.get_by_role("img", name="How I've been feeling, 0 to 10").is_visible()
    axe_check(page)
