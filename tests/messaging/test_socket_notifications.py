"""The /ws/ socket: who may connect, and a person's notifications arriving live."""

from __future__ import annotations

from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from rest_framework.authtoken.models import Token

from community.models import Notification
from community.services.notifications import notification_mark_read, notify
from config.asgi import application
from tests.waits import CONNECT_TIMEOUT, FRAME_TIMEOUT

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
KIND = "welcome"


@pytest.fixture(autouse=True)
async def _fresh_layer(fresh_channel_layer):
    """Every test here starts and ends with an empty, new channel layer (tests/messaging/conftest.py)."""
    yield


@pytest.fixture
def session_cookie(member):
    client = Client()
    client.force_login(member)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


@pytest.fixture
def token_header(member):
    token = Token.objects.create(user=member)
    return (b"authorization", f"Token {token.key}".encode())


async def open_socket(*headers):
    communicator = WebsocketCommunicator(application, "/ws/", headers=list(headers))
    connected, code = await communicator.connect(timeout=CONNECT_TIMEOUT)
    return communicator, connected, code


@database_sync_to_async
def notify_and_commit(user, title: str, url: str = "") -> Notification:
    with transaction.atomic():
        return notify(user=user, kind=KIND, title=title, url=url)


@database_sync_to_async
def notify_and_roll_back(user, title: str) -> None:
    try:
        with transaction.atomic():
            notify(user=user, kind=KIND, title=title)
            raise RuntimeError("changed my mind")
    except RuntimeError:
        pass


# --- who may connect ----------------------------------------------------------------------------------------------


async def test_anonymous_socket_is_closed_with_4401(db):
    communicator, connected, code = await open_socket(ORIGIN)
    assert connected is False
    assert code == 4401


async def test_a_session_cookie_logs_the_socket_in(session_cookie):
    communicator, connected, _ = await open_socket(ORIGIN, session_cookie)
    assert connected is True
    await communicator.disconnect()


async def test_a_token_header_logs_the_socket_in(token_header):
    communicator, connected, _ = await open_socket(ORIGIN, token_header)
    assert connected is True
    await communicator.disconnect()


async def test_a_wrong_token_is_anonymous(db):
    communicator, connected, code = await open_socket(ORIGIN, (b"authorization", b"Token not-a-real-token"))
    assert connected is False
    assert code == 4401


async def test_a_socket_from_another_site_is_refused(session_cookie):
    communicator, connected, _ = await open_socket((b"origin", b"https://evil.example"), session_cookie)
    assert connected is False


async def test_a_socket_with_no_origin_is_refused(session_cookie):
    communicator, connected, _ = await open_socket(session_cookie)
    assert connected is False


# --- live notifications -------------------------------------------------------------------------------------------


async def test_a_committed_notification_arrives_as_a_frame(member, session_cookie):
    communicator, connected, _ = await open_socket(ORIGIN, session_cookie)
    assert connected

    notification = await notify_and_commit(member, "Hello, live", url="/groups/")

    frame = await communicator.receive_json_from(timeout=FRAME_TIMEOUT)
    assert frame["type"] == "notification"
    assert frame["unread_count"] == 1
    assert frame["notification"]["id"] == notification.pk
    assert frame["notification"]["title"] == "Hello, live"
    assert frame["notification"]["url"] == "/groups/"
    await communicator.disconnect()


async def test_every_open_tab_gets_the_frame(member, session_cookie, token_header):
    first, _, _ = await open_socket(ORIGIN, session_cookie)
    second, _, _ = await open_socket(ORIGIN, token_header)

    await notify_and_commit(member, "Both tabs")

    assert (await first.receive_json_from(timeout=FRAME_TIMEOUT))["notification"]["title"] == "Both tabs"
    assert (await second.receive_json_from(timeout=FRAME_TIMEOUT))["notification"]["title"] == "Both tabs"
    await first.disconnect()
    await second.disconnect()


async def test_a_rolled_back_notification_never_arrives(member, session_cookie):
    communicator, _, _ = await open_socket(ORIGIN, session_cookie)

    await notify_and_roll_back(member, "Never")

    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_someone_elses_notification_does_not_arrive(session_cookie, make_user):
    other = await database_sync_to_async(make_user)()
    communicator, _, _ = await open_socket(ORIGIN, session_cookie)

    await notify_and_commit(other, "Not for Robin")

    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_marking_read_updates_the_count_in_other_tabs(member, session_cookie):
    communicator, _, _ = await open_socket(ORIGIN, session_cookie)
    first = await notify_and_commit(member, "One")
    await notify_and_commit(member, "Two")
    await communicator.receive_json_from(timeout=FRAME_TIMEOUT)
    await communicator.receive_json_from(timeout=FRAME_TIMEOUT)

    await database_sync_to_async(notification_mark_read)(actor=member, notification=first.pk)

    frame = await communicator.receive_json_from(timeout=FRAME_TIMEOUT)
    assert frame == {"type": "notifications.read", "ids": [first.pk], "all": False, "unread_count": 1}
    await communicator.disconnect()


async def test_forwarding_a_frame_does_no_database_work(member, session_cookie):
    communicator, _, _ = await open_socket(ORIGIN, session_cookie)
    with mock.patch("channels.consumer.aclose_old_connections") as close_connections:
        await get_channel_layer().group_send(
            f"user.{member.pk}", {"type": "forward.frame", "text": '{"type":"x"}', "user_id": member.pk}
        )
        assert await communicator.receive_from(timeout=FRAME_TIMEOUT) == '{"type":"x"}'
    close_connections.assert_not_called()
    await communicator.disconnect()


async def test_an_unknown_frame_gets_an_error_frame(session_cookie):
    communicator, _, _ = await open_socket(ORIGIN, session_cookie)

    await communicator.send_json_to({"type": "no.such.thing", "client_id": "abc"})
    frame = await communicator.receive_json_from(timeout=FRAME_TIMEOUT)

    assert frame["type"] == "error"
    assert frame["code"] == "unknown_type"
    assert frame["client_id"] == "abc"
    assert frame["detail"]
    await communicator.disconnect()


async def test_a_frame_that_is_not_json_gets_an_error_frame(session_cookie):
    communicator, _, _ = await open_socket(ORIGIN, session_cookie)

    await communicator.send_to(text_data="this is not json")
    frame = await communicator.receive_json_from(timeout=FRAME_TIMEOUT)

    assert frame["type"] == "error"
    assert frame["code"] == "invalid_frame"
    await communicator.disconnect()
