"""In a phone-sized browser: a member shares an idea, another backs it, a leader answers; every page passes axe.

Uses Debian's Chromium through Playwright, like tests/browser (whose fixtures live in that folder's conftest).
"""

import os
import shutil

import pytest

from community.models import Group, Membership, MembershipRole, MembershipStatus, User
from community.services.policies import policies_accept_current
from tests.events.test_ideas_urls import URLCONF

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HN_CHROMIUM", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a-long-pass-phrase"

pytestmark = [pytest.mark.browser, pytest.mark.urls(URLCONF), pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def chromium():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        yield browser
        browser.close()


@pytest.fixture
def browse(chromium, live_server):
    contexts = []

    def open_as(user: User):
        context = chromium.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


def axe_check(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    summary = "\n".join(f"{v['impact']}: {v['id']} - {v['help']}" for v in bad)
    assert not bad, f"Accessibility problems on {page.url}:\n{summary}"


def _person(name: str, group: Group, role: str = MembershipRole.MEMBER) -> User:
    user = User.objects.create_user(email=f"{name.lower()}@example.org", password=PASSWORD, display_name=name)
    policies_accept_current(actor=user)
    Membership.objects.create(group=group, user=user, role=role, status=MembershipStatus.ACTIVE)
    return user


def test_share_back_and_answer_an_idea(browse):
    group = Group.objects.create(name="Art Club", slug="art-club")
    robin = _person("Robin", group)
    sky = _person("Sky", group)
    leader = _person("Jo", group, MembershipRole.LEADER)

    page = browse(robin)
    page.goto("/groups/art-club/ideas/")
    axe_check(page)
    page.get_by_label("What's your idea?").fill("Pizza and a film")
    page.get_by_label("Roughly when? (optional)").fill("A Friday")
    page.get_by_role("button", name="Share my idea").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Pizza and a film"
    axe_check(page)

    page = browse(sky)
    page.goto("/groups/art-club/ideas/")
    page.get_by_role("link", name="Pizza and a film").click()
    page.get_by_role("button", name="I'd go to this").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 person backs this idea.").is_visible()
    page.get_by_label("Add a comment").fill("Count me in!")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    assert page.get_by_text("Count me in!").is_visible()
    axe_check(page)

    page = browse(leader)
    page.goto("/groups/art-club/ideas/")
    page.get_by_role("link", name="Pizza and a film").click()
    page.get_by_label("Your answer").fill("Love it, let's plan it")
    page.get_by_role("button", name="Send answer").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Answer from Jo").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Turn this idea into an event").click()
    page.wait_for_load_state()
    axe_check(page)

    page.goto("/calendar/")
    page.get_by_role("button", name="Make a link for my events").click()
    page.wait_for_load_state()
    assert "/calendar/" in page.get_by_label("Your link").input_value()
    axe_check(page)
