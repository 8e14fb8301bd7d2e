"""Staff and evaluators read the programme figures on a phone; a peer leader reads their group's figures. Both pages
pass an axe scan, suppressed cells say what "c" means, and no member's name appears anywhere on them."""

from __future__ import annotations

import pytest

from community.models import MembershipRole, SiteRole
from tests.community.programme_world import build_programme_world


@pytest.mark.django_db(transaction=True)
def test_an_evaluator_and_a_peer_leader_read_their_figures(page, axe_check, log_in, make_user, group, add_member):
    world = build_programme_world(make_user=make_user, group=group)
    evaluator = make_user(display_name="Eve", email="eve@example.org", role=SiteRole.EVALUATOR)

    log_in(evaluator.email)
    page.goto("/programme/")
    main = page.get_by_role("main")
    assert page.get_by_role("heading", level=1).is_visible()
    axe_check(page)
    text = main.inner_text()
    assert page.locator("abbr[title='not shown: too few people']").count() > 0  # the learning event's 3 people
    assert "shown as c:" in text
    for person in [*world.consenting, *world.quiet]:
        assert person.display_name not in text
    assert page.get_by_role("link", name="Download CSV").count() > 0

    leader = make_user(display_name="Lee", email="lee@example.org")
    add_member(group, leader, role=MembershipRole.LEADER)
    page.context.clear_cookies()
    log_in(leader.email)
    page.goto(f"/groups/{group.slug}/figures/")
    axe_check(page)
    text = page.get_by_role("main").inner_text()
    for person in [*world.consenting, *world.quiet]:
        assert person.display_name not in text
