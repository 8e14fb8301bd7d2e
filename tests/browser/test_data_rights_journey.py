"""A member uses their data rights on a phone: they get a copy of their data (only their own, with their message and
not the other member's), then delete their account, are logged out everywhere, and can no longer log in. Every page
passes an axe scan."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from community.models import DataExport, DataExportStatus, User
from messaging.models import Message
from messaging.services.messages import message_send
from messaging.services.rooms import room_for_group


@pytest.mark.django_db(transaction=True)
def test_a_member_downloads_their_data_then_deletes_their_account(
    page, chromium, live_server, axe_check, log_in, make_user, group, add_member
):
    robin, kai = make_user(display_name="Robin"), make_user(display_name="Kai")
    add_member(group, robin)
    add_member(group, kai)
    room = room_for_group(group=group)
    message_send(actor=robin, room_id=room.pk, body="Robin's own words about the art trip", client_id="r1")
    message_send(actor=kai, room_id=room.pk, body="Kai's words, not Robin's", client_id="k1")

    log_in(robin.email)
    page.goto("/me/")
    page.get_by_role("link", name="Your data: get a copy, see what we keep, or delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    axe_check(page)

    page.get_by_role("button", name="Ask for a copy of my data").click()
    # The test profile runs background jobs at once, so the copy is ready when the page comes back.
    expect(page.get_by_role("link", name="Download your data")).to_be_visible()
    assert DataExport.objects.get(user=robin).status == DataExportStatus.READY
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download your data").click()
    with zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read())) as archive:
        data = json.loads(archive.read("here-and-now-data.json"))
    bodies = [message["text"] for message in data["messages"]["data"]]
    assert bodies == ["Robin's own words about the art trip"]
    assert "Kai's words" not in json.dumps(data)
    assert data["account"]["data"]["email"] == robin.email

    page.goto("/me/data/")
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete my account")
    axe_check(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_be_visible()  # no password, no tick: nothing happens
    assert User.objects.filter(pk=robin.pk).exists()

    page.get_by_label("Your password").fill("a-long-pass-phrase")
    page.get_by_label("I understand this can't be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    axe_check(page)

    assert not User.objects.filter(email=robin.email).exists()
    kept = Message.objects.get(client_id="", room=room, author__isnull=True)
    assert kept.body == ""
    page.goto("/me/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/me/")

    log_in(robin.email)
    expect(page.get_by_text("That email and password don't match")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/login/")
