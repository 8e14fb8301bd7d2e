# ruff: noqa: F811 - the chat fixtures (tests/messaging/conftest.py) are imported, then asked for by name
"""Socket fuzzing: frames generated with hypothesis (wrong types, missing and extra fields, huge numbers, odd unicode,
binary, oversized, unknown types, garbage JSON, subscribe and unsubscribe in any order, rooms that aren't the sender's,
`after` out of range) sent to /ws/ on the real ASGI application. The server must never crash: every answer is a
documented frame type, every error carries a code listed in docs/realtime.md, the socket stays open (the frame
budget is raised for the fuzzing client; 4429 is tested on its own below), and a well-behaved member in the same room
keeps getting the messages a third person sends throughout.

The short run in `make test` sends the same frames every time (hypothesis derandomized), so CI can't be failed by an
example it happened to draw that day; the long run (`make reliability`) draws new ones each time and is where new
problems are found, each then kept as a test of its own.

Each batch of frames ends with an `unsubscribe` from a room that can't exist: its `unsubscribed` comes after the
answers to every frame before it (a socket handles its frames in order), so the batch's answers are all read.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from messaging.services.messages import message_send
from messaging.services.rooms import room_for_event, room_for_group
from tests.events.domain_factories import make_event
from tests.messaging.conftest import fresh_channel_layer, friend, in_group, open_socket  # noqa: F401 - fixtures
from tests.reliability.figures import figures_record
from tests.reliability.fuzz_socket import (
    DOCUMENTED_CLOSE_CODES,
    SENTINEL_ROOM,
    Tally,
    Targets,
    check_server_frame,
    documented_error_codes,
    frames,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]

BATCH = 25
NO_FRAME_BUDGET = {
    "HN_SOCKET_FRAMES_BURST": 10**9,
    "HN_SOCKET_FRAMES_PER_SECOND": 10**9,
    "HN_SOCKET_RATE_LIMIT_STRIKES": 10**9,
    # The third person's probe messages must not be rate limited; the fuzzing client's messages aren't either.
    "HN_CHAT_BURST_MESSAGES": 10**6,
    "HN_CHAT_MESSAGES_PER_MINUTE": 10**6,
}


@database_sync_to_async
def say(user, room_id, body, client_id=None):
    return message_send(
        actor=user, room_id=room_id, body=body, client_id=client_id or body.replace(" ", "-").replace("'", "")
    ).message.pk


@database_sync_to_async
def other_rooms(make_group, make_user, add_member):
    elsewhere = make_group(name="Chess Club", slug="chess-club")
    stranger = make_user(display_name="Stranger")
    add_member(elsewhere, stranger)
    event = make_event(elsewhere, starts_in=timedelta(hours=1))
    room = room_for_group(group=elsewhere)
    message = message_send(actor=stranger, room_id=room.pk, body="not yours", client_id="s1").message
    return [room.pk, room_for_event(event=event).pk], message.pk


async def fuzz(
    *, batches, in_group, friend, group, add_member, make_group, make_user, open_socket, fresh_each_run: bool = False
) -> Tally:
    room = await database_sync_to_async(room_for_group)(group=group)
    third = await database_sync_to_async(make_user)(display_name="Third")
    await database_sync_to_async(add_member)(group, third)
    rooms_not_theirs, message_not_theirs = await other_rooms(make_group, make_user, add_member)
    own = await say(in_group, room.pk, "mine")
    friends = await say(friend, room.pk, "friend's")
    targets = Targets(rooms=[room.pk, *rooms_not_theirs], messages=[own, friends, message_not_theirs])
    error_codes = documented_error_codes()
    tally = Tally()

    bystander = await open_socket(friend)
    await bystander.subscribe(room.pk)
    state = {"fuzzer": await open_socket(in_group)}
    await state["fuzzer"].subscribe(room.pk)

    async def read_until_sentinel() -> None:
        communicator = state["fuzzer"].communicator
        while True:
            try:
                output = await communicator.receive_output(timeout=30)
            except Exception as crash:  # noqa: BLE001 - an exception escaping the consumer is what we count
                tally.crashes.append(repr(crash)[:300])
                break
            if output["type"] == "websocket.close":
                tally.closes[output.get("code")] += 1
                break
            if "text" not in output or output.get("text") is None:
                tally.undocumented.append(("binary answer", str(output)[:200]))
                continue
            frame = json.loads(output["text"])
            check_server_frame(frame, tally, error_codes, "fuzzer")
            if frame.get("type") == "unsubscribed" and frame.get("room") == SENTINEL_ROOM:
                return
        # Closed or crashed: carry on with a new socket, as an app would.
        state["fuzzer"] = await open_socket(in_group)
        await state["fuzzer"].subscribe(room.pk)

    async def probe(n: int) -> None:
        body = f"probe {n}"
        await say(third, room.pk, body)
        while True:
            try:
                frame = await bystander.receive(timeout=10)
            except Exception:  # noqa: BLE001 - nothing came (or the bystander's socket broke): lost
                tally.lost += 1
                return
            check_server_frame(frame, tally, error_codes, "bystander")
            if frame["type"] == "message.new" and frame["message"]["body"] == body:
                tally.delivered += 1
                return

    async def send_batch(batch) -> None:
        communicator = state["fuzzer"].communicator
        try:
            for kind, payload in batch:
                # As a server hands them over: empty text or bytes included (send_to refuses those).
                await communicator.send_input({"type": "websocket.receive", kind: payload})
                tally.frames_sent += 1
            await communicator.send_to(text_data=json.dumps({"type": "unsubscribe", "room": SENTINEL_ROOM}))
        except Exception as crash:  # noqa: BLE001 - the consumer died: sending re-raises what escaped it
            tally.crashes.append(repr(crash)[:300])
            state["fuzzer"] = await open_socket(in_group)
            await state["fuzzer"].subscribe(room.pk)
        else:
            await read_until_sentinel()
        await probe(tally.frames_sent)

    loop = asyncio.get_running_loop()

    @settings(
        max_examples=batches, deadline=None, database=None, phases=[Phase.generate],
        suppress_health_check=list(HealthCheck), derandomize=not fresh_each_run,
    )  # fmt: skip
    @given(batch=st.lists(frames(targets), min_size=BATCH, max_size=BATCH))
    def drive(batch):
        asyncio.run_coroutine_threadsafe(send_batch(batch), loop).result(timeout=300)

    await asyncio.to_thread(drive)
    return tally


def verdict(tally: Tally) -> str:
    return f"crashes {tally.crashes[:5]}, undocumented {tally.undocumented[:10]}, closes {dict(tally.closes)}"


@override_settings(**NO_FRAME_BUDGET)
async def test_fuzzed_frames_never_crash_the_socket_and_the_room_keeps_working(
    in_group, friend, group, add_member, make_group, make_user, open_socket
):
    tally = await fuzz(
        batches=20, in_group=in_group, friend=friend, group=group, add_member=add_member, make_group=make_group,
        make_user=make_user, open_socket=open_socket,
    )  # fmt: skip

    assert tally.frames_sent >= 500
    assert (tally.crashes, tally.undocumented, dict(tally.closes)) == ([], [], {}), verdict(tally)
    assert tally.errors["server_error"] == 0  # documented, but the socket's equivalent of a 500
    assert (tally.delivered, tally.lost) == (20, 0)
    assert tally.errors["invalid_frame"] > 0 and tally.errors["unknown_type"] > 0


@pytest.mark.long
@override_settings(**NO_FRAME_BUDGET)
async def test_long_socket_fuzz(in_group, friend, group, add_member, make_group, make_user, open_socket):
    loop = asyncio.get_running_loop()
    started = loop.time()
    tally = await fuzz(
        batches=400, in_group=in_group, friend=friend, group=group, add_member=add_member, make_group=make_group,
        make_user=make_user, open_socket=open_socket, fresh_each_run=True,
    )  # fmt: skip
    seconds = loop.time() - started

    by_code = ", ".join(f"{code}: {count:,}" for code, count in tally.errors.most_common())
    figures_record(
        area="socket_fuzz",
        title="Socket fuzzing (hypothesis-generated frames on /ws/)",
        rows=[
            ("frames sent", f"{tally.frames_sent:,}"),
            ("answers that weren't a documented frame or error code", f"{len(tally.undocumented)}"),
            ("error frames, by code", by_code),
            ("sockets closed by the server", ", ".join(f"{c}: {n}" for c, n in tally.closes.items()) or "0"),
            ("server crashes", f"{len(tally.crashes)}"),
            ("server_error answers (something failed on our side)", f"{tally.errors['server_error']}"),
            ("another member's messages delivered during the fuzzing", f"{tally.delivered:,}"),
            ("another member's messages lost", f"{tally.lost}"),
            ("time taken", f"{seconds:.0f} seconds"),
        ],
        notes=f"{tally.frames_sent:,} frames in batches of {BATCH} from one member's socket (frame budget raised so "
        "the 4429 limit doesn't end the run; it is tested on its own), every field right, wrong, missing or extra, "
        "huge and negative numbers, control and unpaired-surrogate characters, binary and oversized frames, "
        "garbage JSON, unknown types, rooms and messages that aren't theirs. After each batch a third person sent a "
        "message, and a second member subscribed to the same room had to receive it within 10 seconds.",
    )
    assert tally.frames_sent >= 10_000
    assert (tally.crashes, tally.undocumented, dict(tally.closes)) == ([], [], {}), verdict(tally)
    assert tally.errors["server_error"] == 0  # documented, but the socket's equivalent of a 500
    assert tally.lost == 0


# --- the frame budget: 4429 only when it is exceeded ------------------------------------------------------------------


@pytest.mark.parametrize(("burst", "strikes", "sent"), [(8, 3, 8), (8, 3, 10), (8, 3, 11), (4, 2, 5), (4, 2, 6)])
async def test_4429_comes_only_once_the_frame_budget_is_exceeded_strikes_times(in_group, open_socket, burst, strikes,
                                                                              sent):  # fmt: skip
    over = max(0, sent - burst)
    with override_settings(
        HN_SOCKET_FRAMES_BURST=burst, HN_SOCKET_FRAMES_PER_SECOND=0.001, HN_SOCKET_RATE_LIMIT_STRIKES=strikes
    ):
        socket = await open_socket(in_group)
        for _ in range(sent):
            await socket.send({"type": "unsubscribe", "room": SENTINEL_ROOM})
        answers = [await socket.receive() for _ in range(min(sent, burst + strikes))]
        closed = None
        if over >= strikes:
            closed = (await socket.communicator.receive_output(timeout=3)).get("code")
        else:
            assert await socket.communicator.receive_nothing(timeout=0.2)

    kinds = [answer.get("code", answer["type"]) for answer in answers]
    assert kinds[:burst] == ["unsubscribed"] * min(burst, sent)
    assert kinds[burst:] == ["rate_limited"] * min(over, strikes)
    assert closed == (4429 if over >= strikes else None)
    assert closed is None or closed in DOCUMENTED_CLOSE_CODES


# --- what the fuzzing found -------------------------------------------------------------------------------------------


async def test_json_nested_too_deep_gets_invalid_frame_and_the_socket_keeps_serving(in_group, group, open_socket):
    """60,000 "[" are well inside 64 KiB, and json.loads gave up with RecursionError, which escaped the consumer and
    killed the socket."""
    room = await database_sync_to_async(room_for_group)(group=group)
    socket = await open_socket(in_group)

    await socket.communicator.send_to(text_data="[" * 60_000)

    assert (await socket.receive())["code"] == "invalid_frame"
    subscribed, _ = await socket.subscribe(room.pk)
    assert subscribed["room"] == room.pk
