"""docs/realtime.md and the code stay in step: every frame documented with a valid example, every frame the code
knows documented, every documented frame exercised by a test, and every error code in the table."""

from __future__ import annotations

import json
import re
from pathlib import Path

from messaging.protocol import CLIENT_FRAMES, SERVER_FRAMES

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "realtime.md").read_text()
HERE = Path(__file__).parent
TESTS = "\n".join(
    path.read_text() for path in [*HERE.glob("test_*.py"), HERE / "conftest.py"] if path.name != Path(__file__).name
)
CODE = "\n".join(path.read_text() for path in (ROOT / "messaging").rglob("*.py") if "migrations" not in path.parts)


def section(title: str) -> str:
    start = DOC.index(f"## {title}")
    following = DOC.find("\n## ", start + 1)
    return DOC[start : following if following != -1 else None]


def documented_frames(title: str) -> dict[str, list[dict]]:
    """Frame name -> the JSON examples under its ### heading."""
    frames = {}
    for block in re.split(r"\n### ", section(title))[1:]:
        name = re.match(r"`([^`]+)`", block).group(1)
        frames[name] = [json.loads(example) for example in re.findall(r"```json\n(.*?)```", block, re.S)]
    return frames


def test_every_client_frame_is_documented_with_a_valid_example():
    frames = documented_frames("Client → server frames")
    assert set(frames) == set(CLIENT_FRAMES)
    for name, examples in frames.items():
        assert examples, f"{name} has no example"
        for example in examples:
            assert example["type"] == name


def test_every_server_frame_is_documented_with_a_valid_example():
    frames = documented_frames("Server → client frames")
    assert set(frames) == set(SERVER_FRAMES)
    for name, examples in frames.items():
        assert examples, f"{name} has no example"
        for example in examples:
            assert example["type"] == name


def test_every_frame_type_has_a_socket_test():
    for name in [*CLIENT_FRAMES, *SERVER_FRAMES]:
        assert f'"{name}"' in TESTS, f"no test sends or expects {name}"


def test_every_error_code_in_chat_is_in_the_table():
    table = section("Server → client frames").split("| code | when |")[1]
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = {code for cell in first_cells for code in re.findall(r"`([a-z_]+)`", cell)}
    in_code = set(re.findall(r'code="([a-z_]+)"', CODE))
    in_code |= set(re.findall(r'(?:ProtocolError|send_error)\(\s*"([a-z_]+)"', CODE))
    assert {"invalid_frame", "frame_too_large", "unknown_type", "not_a_member", "not_subscribed"} <= in_code
    assert in_code - documented == set()


def test_the_close_codes_are_documented():
    table = section("Close codes")
    for code in ("4401", "4403", "4408", "4429", "4503"):
        assert f"| {code} |" in table
