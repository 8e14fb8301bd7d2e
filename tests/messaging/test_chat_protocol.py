"""Parsing client frames: every frame type, and every way a frame can be wrong."""

from __future__ import annotations

import json

import pytest

from messaging.protocol import CLIENT_FRAMES, MAX_FRAME_BYTES, ProtocolError, parse_frame

GOOD = {
    "subscribe": {"room": 1, "after": None},
    "unsubscribe": {"room": 1},
    "message.send": {"room": 1, "body": "hi", "client_id": "c1", "reply_to": 5},
    "message.edit": {"message": 3, "body": "hello"},
    "message.delete": {"message": 3},
    "reaction.toggle": {"message": 3, "emoji": "👍"},
    "typing": {"room": 1},
    "read": {"room": 1, "message": 3},
}


def code_for(text: str) -> str:
    with pytest.raises(ProtocolError) as caught:
        parse_frame(text)
    return caught.value.code


def test_every_client_frame_type_has_a_good_example():
    assert set(GOOD) == set(CLIENT_FRAMES)


@pytest.mark.parametrize("frame_type", sorted(GOOD))
def test_good_frames_parse(frame_type):
    frame = parse_frame(json.dumps({"type": frame_type, **GOOD[frame_type]}))
    assert frame.type == frame_type
    assert frame.fields == GOOD[frame_type]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("not json", "invalid_frame"),
        ("[1, 2]", "invalid_frame"),
        ('"subscribe"', "invalid_frame"),
        ("{}", "invalid_frame"),
        ('{"type": 5}', "invalid_frame"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "subscribe"}', "invalid_frame"),
        ('{"type": "subscribe", "room": "12"}', "invalid_frame"),
        ('{"type": "subscribe", "room": true}', "invalid_frame"),
        ('{"type": "subscribe", "room": 1.5}', "invalid_frame"),
        ('{"type": "subscribe", "room": 1, "after": "x"}', "invalid_frame"),
        ('{"type": "message.send", "room": 1, "body": 7, "client_id": "a"}', "invalid_frame"),
        ('{"type": "message.send", "room": 1, "body": "hi"}', "invalid_frame"),
        ('{"type": "subscribe", "room": 99999999999999999999999}', "invalid_frame"),
    ],
)
def test_bad_frames_get_a_code(text, code):
    assert code_for(text) == code


def test_an_oversized_frame_is_refused_before_parsing():
    assert code_for(json.dumps({"type": "typing", "room": 1, "pad": "x" * MAX_FRAME_BYTES})) == "frame_too_large"
    # Multi-byte characters count as bytes.
    assert code_for(json.dumps({"type": "typing", "room": 1, "pad": "é" * 40_000}, ensure_ascii=False)) == (
        "frame_too_large"
    )


def test_the_client_id_comes_back_with_the_error():
    with pytest.raises(ProtocolError) as caught:
        parse_frame('{"type": "message.send", "room": "x", "body": "b", "client_id": "mine"}')
    assert (caught.value.client_id, caught.value.frame_type) == ("mine", "message.send")


def test_unknown_extra_fields_are_ignored():
    assert parse_frame('{"type": "typing", "room": 2, "colour": "blue"}').fields == {"room": 2}
