"""The short rotating code (and its QR code) that organisers show at the venue for self check-in.

A code is 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), derived with HMAC-SHA256 from the
site's secret key, the event id and the current 2-minute step, so nobody can work it out without seeing it. The
current and the previous step's codes are accepted, so a code read just before it changes still works.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils import timezone

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
STEP_SECONDS = 120


def _step(at: datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def _code_for_step(event_id: int, step: int) -> str:
    message = f"event-check-in:{event_id}:{step}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    characters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[index])
    return "".join(characters)


def current_code(event_id: int, *, now: datetime | None = None) -> str:
    return _code_for_step(event_id, _step(now or timezone.now()))


def seconds_until_next_code(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return STEP_SECONDS - int(now.timestamp()) % STEP_SECONDS


def normalise_code(code: str) -> str:
    """What people type: any case, with spaces or dashes."""
    return "".join(character for character in (code or "").upper() if character.isalnum())


def code_is_valid(event_id: int, code: str, *, now: datetime | None = None) -> bool:
    """True for this step's code or the previous step's."""
    typed = normalise_code(code)
    if len(typed) != CODE_LENGTH:
        return False
    step = _step(now or timezone.now())
    matches = [hmac.compare_digest(typed, _code_for_step(event_id, candidate)) for candidate in (step, step - 1)]
    return any(matches)


def check_in_path(event_id: int, code: str) -> str:
    return f"/events/{event_id}/check-in/?{urlencode({'code': code})}"


def check_in_url(event_id: int, *, now: datetime | None = None) -> str:
    base = getattr(settings, "HN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + check_in_path(event_id, current_code(event_id, now=now))


def qr_code_svg(event_id: int, *, now: datetime | None = None, scale: int = 6) -> str:
    """An inline SVG of the QR code for the current check-in link (safe to put in a page as it is)."""
    qr = segno.make(check_in_url(event_id, now=now), error="m")
    return qr.svg_inline(scale=scale, title="QR code to check in to this event", border=2)
