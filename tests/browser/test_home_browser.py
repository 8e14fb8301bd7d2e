"""A visitor's first look: the home page works on a phone-sized screen and passes an axe scan."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_visitor_sees_welcome_with_ways_in(page, axe_check):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Here and Now"
    assert page.get_by_role("link", name="Join with a code").first.is_visible()
    assert page.get_by_role("link", name="Skip to main content").count() == 1
    axe_check(page)
