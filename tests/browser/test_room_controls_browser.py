"""A moderator on a phone: goes on duty, slows a chat down, locks it, sets its weekly staffed hours, and tries a text in
the word list's test box. A member then sees the locked chat calmly explained with the composer switched off. Every
page passes an axe scan."""

from __future__ import annotations

from datetime import time

import pytest

from community.models import ModeratorDuty, SiteRole
from messaging.models import StaffedHours, WordListEntry
from messaging.services.rooms import room_for_group

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_moderator_sets_room_controls_and_a_member_sees_them(page, axe_check, log_in, make_user, group, add_member):
    sam = make_user(role=SiteRole.MODERATOR, display_name="Sam")
    robin = make_user(display_name="Robin")
    add_member(group, robin)
    room = room_for_group(group=group)
    log_in(sam.email)

    page.goto("/moderation/rooms/")
    axe_check(page)
    page.get_by_role("button", name="I'm on duty").click()
    assert "You're on duty" in page.get_by_role("main").inner_text()
    assert ModeratorDuty.objects.filter(moderator=sam, ended_at__isnull=True).exists()

    page.get_by_role("link", name="Art Club").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Art Club"
    axe_check(page)
    page.get_by_label("How often each person can post").select_option("30")
    page.get_by_role("button", name="Save slow mode").click()
    assert "Slow mode: one message every 30 seconds." in page.get_by_role("main").inner_text()

    page.get_by_label("Only open in staffed hours").check()
    page.get_by_label("Opens on Tuesday").fill("18:00")
    page.get_by_label("Closes on Tuesday").fill("21:00")
    page.get_by_role("button", name="Save staffed hours").click()
    assert "Staffed hours saved" in page.get_by_role("main").inner_text()
    assert [(h.weekday, h.opens_at, h.closes_at) for h in StaffedHours.objects.filter(room=room)] == [
        (1, time(18), time(21))
    ]

    page.get_by_label("Why (optional, only moderators see it)").fill("a heated evening")
    page.get_by_role("button", name="Lock this chat").click()
    assert "Locked." in page.get_by_role("main").inner_text()
    axe_check(page)

    page.goto("/moderation/word-list/")
    page.get_by_role("textbox", name="Word or phrase").fill("muppet")
    page.get_by_label("Hold: moderators review it before anyone else sees it").check()
    page.get_by_role("button", name="Add to the list").click()
    assert WordListEntry.objects.filter(phrase="muppet", action="hold").exists()
    page.get_by_role("textbox", name="Test this text").fill("what a MUPP3T")
    page.get_by_role("button", name="Test", exact=True).click()
    assert "held for review" in page.locator("#word-test-result").inner_text()
    axe_check(page)

    page.context.clear_cookies()
    log_in(robin.email)
    page.goto(f"/chat/{room.pk}/")
    banner = page.locator("#chat-room-state")
    assert "A moderator has paused this chat for now." in banner.inner_text()
    assert "Slow mode: one message every 30 seconds." in banner.inner_text()
    assert page.get_by_role("textbox", name="Your message").is_disabled()
    axe_check(page)
