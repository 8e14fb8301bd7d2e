"""Scale-out: two daphne processes on the Redis channel layer serve one community.

A client on each process subscribes to the same room; a message sent through one arrives on the other, an edit made
through the REST API of the second reaches both, and a moderator's hide made through the moderation API of the first
(messaging.services.moderation.actions.message_hide) reaches both. Daphne runs with --websocket-max-message-size
65536, so an oversized frame is refused by the server.

Needs the shared back ends (PostgreSQL and Redis): it runs when DATABASE_URL and REDIS_URL are set, as in CI.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
import urllib.request

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.reliability.soak_servers import daphne_servers

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not getattr(settings, "REDIS_URL", ""),
        reason="needs processes sharing PostgreSQL and Redis: runs when DATABASE_URL and REDIS_URL are set",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


# --- a minimal WebSocket client (RFC 6455), so the test needs no extra package ----------------------------------------


class Client6455:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int, *headers: str) -> Client6455:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        request = [
            "GET /ws/ HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", "Origin: http://127.0.0.1", *headers,
        ]  # fmt: skip
        writer.write(("\r\n".join(request) + "\r\n\r\n").encode())
        answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        assert b" 101 " in answer.split(b"\r\n")[0], answer
        return cls(reader, writer)

    async def send_text(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 2**16:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        masked = bytes(byte ^ mask[n % 4] for n, byte in enumerate(payload))
        self.writer.write(header + mask + masked)
        await self.writer.drain()

    async def send(self, frame: dict) -> None:
        await self.send_text(json.dumps(frame))

    async def receive_raw(self) -> tuple[int, bytes]:
        first, second = await asyncio.wait_for(self.reader.readexactly(2), 10)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return first & 0x0F, await self.reader.readexactly(length)

    async def receive(self) -> dict:
        while True:
            opcode, payload = await self.receive_raw()
            if opcode == 0x1:
                return json.loads(payload)
            assert opcode != 0x8, f"closed: {payload!r}"

    async def receive_type(self, frame_type: str) -> dict:
        while True:
            frame = await self.receive()
            if frame["type"] == frame_type:
                return frame

    async def subscribe(self, room_id: int) -> dict:
        await self.send({"type": "subscribe", "room": room_id})
        return await self.receive_type("subscribed")

    def close(self) -> None:
        self.writer.close()


# --- the test ---------------------------------------------------------------------------------------------------------


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"Cookie: sessionid={client.cookies['sessionid'].value}"


def _patch(port: int, path: str, token: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="PATCH",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def _post(port: int, path: str, token: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


async def test_two_server_processes_serve_one_room(in_group, friend, moderator, room):
    robin_cookie = await database_sync_to_async(_cookie)(in_group)
    kai_token = (await database_sync_to_async(Token.objects.create)(user=friend)).key

    with daphne_servers(2) as (first, second):
        first_port, second_port = first.port, second.port
        robin = await Client6455.connect(first_port, robin_cookie)
        kai = await Client6455.connect(second_port, f"Authorization: Token {kai_token}")
        await robin.subscribe(room.pk)
        await kai.subscribe(room.pk)

        # A message sent on the first process arrives on the second.
        await robin.send({"type": "message.send", "room": room.pk, "body": "Hello from one", "client_id": "s-1"})
        arrived = await kai.receive_type("message.new")
        assert arrived["message"]["body"] == "Hello from one"
        message_id = arrived["message"]["id"]
        assert (await robin.receive_type("message.new"))["message"]["id"] == message_id

        # An edit made through the second process's REST API reaches both.
        robin_token = (await database_sync_to_async(Token.objects.create)(user=in_group)).key
        await asyncio.to_thread(
            _patch, second_port, f"/api/v1/messages/{message_id}/", robin_token, {"body": "Hello from two"}
        )
        for client in (robin, kai):
            assert (await client.receive_type("message.updated"))["message"]["body"] == "Hello from two"

        # A moderator's hide made through the first process's moderation API reaches both (Kai is on the second).
        moderator_token = (await database_sync_to_async(Token.objects.create)(user=moderator)).key
        await asyncio.to_thread(
            _post, first_port, f"/api/v1/moderation/messages/{message_id}/hide/", moderator_token, {"reason": "Unkind"}
        )
        for client in (robin, kai):
            hidden = await client.receive_type("message.updated")
            assert (hidden["message"]["is_hidden"], hidden["message"]["body"]) == (True, "")

        # daphne refuses a frame over 64 KiB itself: it fails the connection ("message too big", 1009).
        big = await Client6455.connect(first_port, robin_cookie)
        await big.send_text(json.dumps({"type": "typing", "room": room.pk, "pad": "x" * 70_000}))
        try:
            opcode, payload = await big.receive_raw()
            assert (opcode, struct.unpack("!H", payload[:2])[0]) == (0x8, 1009)
        except (ConnectionResetError, asyncio.IncompleteReadError):
            pass  # dropped while the rest of the frame was still arriving: refused all the same
        await robin.send({"type": "message.send", "room": room.pk, "body": "Still here", "client_id": "s-2"})
        assert (await kai.receive_type("message.new"))["message"]["body"] == "Still here"

        for client in (robin, kai, big):
            client.close()
