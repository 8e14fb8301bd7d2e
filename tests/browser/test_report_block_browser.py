"""A member on a phone uses a message's menu in chat: reports it (the form is plain and reassuring), then blocks the
author and no longer sees their messages; then undoes the block from settings. Every page passes an axe scan."""

from __future__ import annotations

import pytest

from messaging.models import Report
from messaging.services.messages import message_send
from messaging.services.rooms import room_for_group

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_then_block_from_the_chat_menu_and_undo_in_settings(
    page, axe_check, log_in, make_user, group, add_member
):
    robin, kai = make_user(display_name="Robin"), make_user(display_name="Kai")
    add_member(group, robin)
    add_member(group, kai)
    room = room_for_group(group=group)
    message_send(actor=kai, room_id=room.pk, body="you're rubbish", client_id="k-1")
    log_in(robin.email)

    page.goto(f"/chat/{room.pk}/")
    page.get_by_label("More options for Kai's message").click()
    axe_check(page)
    page.get_by_role("link", name="Report this message").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Report a message"
    axe_check(page)
    page.get_by_label("Bullying or harassment").check()
    page.get_by_label("Anything you'd like to add (optional)").fill("Every day this week")
    page.get_by_role("button", name="Send the report").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thanks for telling us"
    axe_check(page)
    assert Report.objects.get().note == "Every day this week"

    page.get_by_role("link", name="Back to the chat").click()
    page.get_by_label("More options for Kai's message").click()
    page.get_by_role("button", name="Block Kai").click()

    assert "You've blocked Kai" in page.get_by_role("main").inner_text()
    assert "you're rubbish" not in page.get_by_role("main").inner_text()

    page.goto("/me/people/")
    axe_check(page)
    page.get_by_role("button", name="Unblock Kai").click()
    assert "You haven't blocked anyone." in page.get_by_role("main").inner_text()
