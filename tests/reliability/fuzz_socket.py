"""Socket fuzzing helpers: hypothesis strategies for client frames (well-formed, nearly well-formed and garbage), the
documented server frame types and error codes (from docs/realtime.md itself), and a tally of what came back."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from messaging.protocol import CLIENT_FRAMES, MAX_FRAME_BYTES, SERVER_FRAMES

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "realtime.md"
SENTINEL_ROOM = -7_777_777  # `unsubscribe` from it ends each batch: its answer comes after every answer to the batch
DOCUMENTED_CLOSE_CODES = {4401, 4403, 4408, 4429}


def documented_error_codes() -> set[str]:
    """Every code in the first column of the `error` frame's table in docs/realtime.md."""
    text = DOC.read_text()
    section = text.split("### `error`", 1)[1].split("\n## ", 1)[0]
    codes = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            codes.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return codes


@dataclass
class Targets:
    """Real ids the frames aim at, besides made-up ones."""

    rooms: list[int]  # the fuzzer's own room first, then rooms that aren't theirs
    messages: list[int]  # the fuzzer's own messages and other people's


@dataclass
class Tally:
    frames_sent: int = 0
    answers: Counter = field(default_factory=Counter)  # frame type -> count
    errors: Counter = field(default_factory=Counter)  # error code -> count
    closes: Counter = field(default_factory=Counter)  # close code -> count
    crashes: list = field(default_factory=list)
    undocumented: list = field(default_factory=list)
    delivered: int = 0
    lost: int = 0


HUGE = [2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**30, -1, 0]
ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None, categories=["Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Mn"]), max_size=40),
    st.sampled_from(["", " ", "\x00", "\u202e evil", "\ud800", "🙂" * 30, "a" * 2001, "👍", "❤️", "<script>x</script>"]),
)


def _ids(real: list[int], *, clean: bool):
    if clean:
        return st.one_of(st.sampled_from(real), st.sampled_from(real), st.integers(0, 10**6), st.sampled_from(HUGE))
    return st.one_of(st.sampled_from(real), st.sampled_from(HUGE), st.integers())


def wrong_value():
    return st.one_of(
        st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=10),
        st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.just(1.0), st.just("12"),
    )  # fmt: skip


def _field_value(name: str, kind: str, targets: Targets, *, clean: bool):
    if name == "room":
        good = _ids(targets.rooms, clean=clean)
    elif name in ("message", "reply_to", "after"):
        good = _ids(targets.messages, clean=clean)
    elif name == "emoji":
        good = st.one_of(st.sampled_from(["👍", "❤️", "😂", "😮", "😢", "🙏"]), ODD_TEXT)
    elif name == "client_id":
        good = st.one_of(st.from_regex(r"\A[A-Za-z0-9._:-]{1,64}\Z"), ODD_TEXT, st.just("x" * 65))
    else:
        good = ODD_TEXT
    if kind == "int?":
        good = st.one_of(good, st.none())
    return good if clean else st.one_of(good, good, good, wrong_value())


@st.composite
def protocol_frame(draw, targets: Targets) -> dict:
    """A frame of a known type. Half are well-formed (real or made-up ids, odd text), so they reach the services;
    the rest have fields right, wrong, missing or extra, in any mix."""
    frame_type = draw(st.sampled_from(sorted(CLIENT_FRAMES)))
    clean = draw(st.booleans())
    frame = {"type": frame_type}
    for name, (kind, required) in CLIENT_FRAMES[frame_type].items():
        if not clean and draw(st.integers(0, 9)) == 0:
            continue  # missing
        if clean and not required and draw(st.booleans()):
            continue  # optional, left out
        frame[name] = draw(_field_value(name, kind, targets, clean=clean))
    if not clean and draw(st.integers(0, 7)) == 0:
        frame[draw(st.text(max_size=8))] = draw(wrong_value())
    return frame


def frames(targets: Targets):
    """What one client sends: ("text", str) or ("bytes", bytes)."""
    as_text = st.builds(lambda frame: ("text", json.dumps(frame)), protocol_frame(targets))
    others = st.one_of(
        st.builds(lambda t: ("text", json.dumps({"type": t})), st.one_of(ODD_TEXT, st.sampled_from(["message.hide", "Subscribe", "subscribe "]))),  # noqa: E501
        st.builds(lambda value: ("text", json.dumps(value)), st.one_of(wrong_value(), st.lists(st.integers()))),
        st.builds(lambda text: ("text", text), st.text(max_size=60)),
        st.builds(lambda blob: ("bytes", blob), st.binary(max_size=200)),
        st.builds(lambda n: ("text", json.dumps({"type": "message.send", "room": targets.rooms[0], "client_id": "big", "body": "x" * n})), st.integers(MAX_FRAME_BYTES, MAX_FRAME_BYTES + 5000)),  # noqa: E501
        st.builds(lambda n: ("bytes", b"\x00" * n), st.just(MAX_FRAME_BYTES + 1)),
        st.builds(lambda n: ("text", "[" * n), st.integers(1000, 60000)),
        st.builds(lambda t: ("text", json.dumps({"type": t, "room": 2**70, "message": -(2**70), "after": 2**64})), st.sampled_from(sorted(CLIENT_FRAMES))),  # noqa: E501
    )  # fmt: skip
    # Two frames in three are of a known type (half of those well-formed); the rest are garbage of every kind.
    return st.integers(0, 2).flatmap(lambda n: others if n == 0 else as_text)


def check_server_frame(frame, tally: Tally, error_codes: set[str], where: str) -> None:
    """Record an answer; note anything undocumented."""
    if not isinstance(frame, dict) or frame.get("type") not in SERVER_FRAMES:
        tally.undocumented.append((where, str(frame)[:200]))
        return
    tally.answers[frame["type"]] += 1
    if frame["type"] == "error":
        tally.errors[frame.get("code")] += 1
        if frame.get("code") not in error_codes or not frame.get("detail"):
            tally.undocumented.append((where, str(frame)[:200]))
