"""Chat fixtures: a group with its room, people in every role, and sockets on the real ASGI application."""

from __future__ import annotations

import pytest
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from messaging.services.rooms import room_for_group
from tests.waits import CONNECT_TIMEOUT, FRAME_TIMEOUT

ORIGIN = (b"origin", b"http://127.0.0.1")


@pytest.fixture
def friend(make_user, group, add_member):
    """Another member of the Art Club, for conversations."""
    user = make_user(display_name="Kai")
    add_member(group, user)
    return user


@pytest.fixture
def in_group(member, group, add_member):
    """Robin (the `member` fixture) in the Art Club."""
    add_member(group, member)
    return member


@pytest.fixture
def room(group):
    return room_for_group(group=group)


def session_cookie_for(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


class Socket:
    """A test client socket with small helpers for frames."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator

    async def send(self, frame: dict) -> None:
        await self.communicator.send_json_to(frame)

    async def receive(self, timeout: float = FRAME_TIMEOUT) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def receive_type(self, frame_type: str, timeout: float = FRAME_TIMEOUT) -> dict:
        """The next frame of `frame_type`, skipping others (presence, typing, notifications)."""
        while True:
            frame = await self.receive(timeout=timeout)
            if frame["type"] == frame_type:
                return frame

    async def nothing(self, timeout: float = 0.2) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def subscribe(self, room_id: int, after: int | None = None) -> tuple[dict, list[dict]]:
        frame = {"type": "subscribe", "room": room_id}
        if after is not None:
            frame["after"] = after
        await self.send(frame)
        subscribed = await self.receive()
        assert subscribed["type"] == "subscribed", subscribed
        replayed = [await self.receive() for _ in range(subscribed["replayed"])]
        return subscribed, replayed

    async def close(self) -> None:
        await self.communicator.disconnect()


@pytest.fixture
async def open_socket():
    """open_socket(user) -> a connected Socket; all are closed at the end of the test."""
    sockets = []

    async def connect(user, *, headers=None) -> Socket:
        from channels.db import database_sync_to_async

        cookie = await database_sync_to_async(session_cookie_for)(user)
        communicator = WebsocketCommunicator(application, "/ws/", headers=headers or [ORIGIN, cookie])
        connected, code = await communicator.connect(timeout=CONNECT_TIMEOUT)
        assert connected, code
        socket = Socket(communicator)
        sockets.append(socket)
        return socket

    yield connect
    for socket in sockets:
        try:
            await socket.close()
        except Exception:  # noqa: S110 - already closed by the server
            pass


async def _new_channel_layer():
    """Empty the layer and start a new layer object. A test's event loop ends with it, and channels_redis keeps
    per-loop state (receive locks and counters) that must not leak into the next test's loop. The old object may
    belong to a loop that has ended, so it is dropped first and the flush runs on a new one made in this loop."""
    channel_layers.backends.clear()
    await get_channel_layer().flush()


@pytest.fixture
async def fresh_channel_layer():
    await _new_channel_layer()
    yield
    await _new_channel_layer()
