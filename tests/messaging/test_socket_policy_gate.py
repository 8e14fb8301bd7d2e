"""The chat socket has the same gate as pages and the API: nobody chats until they have accepted the current community
agreement and privacy notice, and a newly published version asks everyone again."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from rest_framework.authtoken.models import Token

from community.models import PolicyKind
from community.services.policies import policies_accept_current, policy_publish
from config.asgi import application
from messaging.protocol import CLOSE_POLICIES_NOT_ACCEPTED
from tests.messaging.conftest import ORIGIN, session_cookie_for
from tests.waits import CONNECT_TIMEOUT, FRAME_TIMEOUT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]


def run(call):
    return database_sync_to_async(call)()


async def connect(*headers) -> tuple[bool, int | None]:
    communicator = WebsocketCommunicator(application, "/ws/", headers=[ORIGIN, *headers])
    connected, code = await communicator.connect(timeout=CONNECT_TIMEOUT)
    if connected:
        await communicator.disconnect()
    return connected, code


async def test_a_new_agreement_closes_the_door_to_chat_until_the_person_says_yes(in_group, staff):
    cookie = await run(lambda: session_cookie_for(in_group))
    token = await run(lambda: (b"authorization", f"Token {Token.objects.create(user=in_group).key}".encode()))
    assert await connect(cookie) == (True, None)

    new_version = {"kind": PolicyKind.AGREEMENT, "title": "Our agreement", "summary": "A new part.", "body": "Be kind."}
    await run(lambda: policy_publish(actor=staff, **new_version))

    assert await connect(cookie) == (False, CLOSE_POLICIES_NOT_ACCEPTED)
    assert await connect(token) == (False, CLOSE_POLICIES_NOT_ACCEPTED)

    await run(lambda: policies_accept_current(actor=in_group))

    assert await connect(cookie) == (True, None)
    assert await connect(token) == (True, None)


NEW_AGREEMENT = {"kind": PolicyKind.AGREEMENT, "title": "Our agreement", "summary": "A new part.", "body": "Be kind."}


async def closing_code(socket) -> int:
    """Read frames (the "we've updated our agreement" notification among them) until the socket closes."""
    while True:
        output = await socket.communicator.receive_output(timeout=FRAME_TIMEOUT)
        if output["type"] == "websocket.close":
            return output["code"]


async def test_publishing_a_new_agreement_closes_every_open_chat_until_each_person_says_yes(
    in_group, friend, room, staff, open_socket
):
    robin = await open_socket(in_group)
    await robin.subscribe(room.pk)
    kai = await open_socket(friend)

    await run(lambda: policy_publish(actor=staff, **NEW_AGREEMENT))

    assert await closing_code(robin) == CLOSE_POLICIES_NOT_ACCEPTED
    assert await closing_code(kai) == CLOSE_POLICIES_NOT_ACCEPTED
    await run(lambda: policies_accept_current(actor=in_group))
    again = await open_socket(in_group)
    subscribed, _ = await again.subscribe(room.pk)
    assert subscribed["room"] == room.pk


async def test_someone_who_already_said_yes_to_the_new_version_keeps_chatting(in_group, room, staff, open_socket):
    robin = await open_socket(in_group)

    def publish_and_accept_at_once():
        # Robin says yes (on the page, in another tab) before this socket checks. One transaction makes that certain:
        # the socket is told on commit, when the acceptance is already there. (Accepted a moment later, a socket
        # that checked in between has closed with 4428, and reconnecting lets Robin in.)
        with transaction.atomic():
            policy_publish(actor=staff, **NEW_AGREEMENT)
            policies_accept_current(actor=in_group)

    await run(publish_and_accept_at_once)

    # The notification is sent after the check was started; a subscribe is handled after the check finishes.
    assert (await robin.receive_type("notification"))["notification"]["kind"] == "policy_updated"
    subscribed, _ = await robin.subscribe(room.pk)
    assert subscribed["room"] == room.pk
