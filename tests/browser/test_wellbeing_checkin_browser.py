"""A member does a wellbeing check-in on a phone-sized screen: three short parts with the published answer words,
sees it in "My check-ins" with its score, deletes it after a confirmation step, and chooses about consent. Every
page passes an axe scan."""

import pytest
from playwright.sync_api import expect

from community import reference, scoring
from community.models import EvaluationConsent, SiteRole, User, WellbeingCheckIn
from community.services.policies import policies_accept_current


@pytest.fixture
def robin(db):
    user = User.objects.create_user(
        email="robin@example.org", password="a-long-pass-phrase", display_name="Robin", site_role=SiteRole.MEMBER
    )
    policies_accept_current(actor=user)
    return user


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_a_member_checks_in_on_a_phone_and_sees_it_listed(page, axe_check, log_in, robin):
    log_in(robin.email)
    page.goto("/me/")
    page.get_by_role("link", name="Do a wellbeing check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wellbeing check-in")
    expect(page.get_by_text(scoring.SWEMWBS_LICENCE)).to_be_visible()
    assert _fits_the_phone(page)
    axe_check(page)

    for item in reference.swemwbs_items():
        page.get_by_role("group", name=item["statement"]).get_by_label("Often", exact=True).check()
    life = reference.ons4_questions()[0]["question"]
    page.get_by_role("group", name=life).get_by_label("7", exact=True).check()
    page.get_by_role("group", name="How often do you feel lonely?").get_by_label("Hardly ever", exact=True).check()
    page.get_by_role("button", name="Save my check-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My check-ins")
    expect(page.get_by_text("Your check-in is saved")).to_be_visible()
    metric = str(scoring.swemwbs_metric(28))
    expect(page.locator(".checkin-facts")).to_contain_text(metric)
    expect(page.locator(".checkin-facts")).to_contain_text("Hardly ever")
    assert _fits_the_phone(page)
    axe_check(page)

    page.get_by_role("link", name="Delete the check-in from").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this check-in?")
    axe_check(page)
    page.get_by_role("link", name="No, keep it").click()
    assert WellbeingCheckIn.objects.filter(user=robin).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_member_reads_what_consent_means_and_says_yes(page, axe_check, log_in, robin):
    log_in(robin.email)
    page.goto("/me/consent/")
    expect(page.get_by_role("heading", name='What "counting in programme figures" means')).to_be_visible()
    expect(page.get_by_label("No, leave my answers out")).to_be_checked()
    axe_check(page)
    page.get_by_label("Yes, count my answers in the figures").check()
    page.get_by_role("button", name="Save my choice").click()
    expect(page.locator("#consent-now")).to_contain_text("yes")
    assert EvaluationConsent.objects.get(user=robin).consents is True
