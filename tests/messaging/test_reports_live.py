"""A message reported by enough different people vanishes from every open chat at once: subscribers get a
message.updated frame with is_hidden and hidden_reason "reports", and no words."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from messaging.services.messages import message_send
from messaging.services.moderation.reports import report_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


@database_sync_to_async
def setup(make_user, group, add_member, friend, room):
    reporters = [make_user(display_name=f"Reporter {n}") for n in range(3)]
    for person in reporters:
        add_member(group, person)
    message = message_send(actor=friend, room_id=room.pk, body="something nasty", client_id="n-1").message
    return reporters, message


@override_settings(HN_REPORTS_TO_HIDE=3)
async def test_the_third_different_reporter_hides_it_in_every_open_chat(
    in_group, friend, room, make_user, group, add_member, open_socket
):
    reporters, message = await setup(make_user, group, add_member, friend, room)
    watcher = await open_socket(in_group)
    author = await open_socket(friend)
    await watcher.subscribe(room.pk)
    await author.subscribe(room.pk)

    report = database_sync_to_async(report_message)
    await report(actor=reporters[0], message_id=message.pk, reason="bullying")
    await report(actor=reporters[0], message_id=message.pk, reason="hate")  # the same person again: no change
    await report(actor=reporters[1], message_id=message.pk, reason="bullying")
    assert await watcher.nothing(timeout=0.3)

    await report(actor=reporters[2], message_id=message.pk, reason="bullying")

    for socket in (watcher, author):
        frame = await socket.receive_type("message.updated")
        assert frame["room"] == room.pk
        hidden = frame["message"]
        assert (hidden["id"], hidden["is_hidden"], hidden["hidden_reason"]) == (message.pk, True, "reports")
        assert hidden["body"] == ""
