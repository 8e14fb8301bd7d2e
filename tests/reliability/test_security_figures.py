"""The security figures for docs/reliability.md (`make reliability`). Runs the fast security tests (the page, API and
socket permission matrices, CSRF, sessions and rate limits, open redirects, uploads, XSS in the browser and Django's
deployment checks) and, once they all pass, records what they covered: every count comes from the same tables the
tests use."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.figures import figures_record

ROOT = Path(__file__).resolve().parents[2]
SECURITY_TESTS = [
    "tests/test_api_permission_matrix.py",
    "tests/reliability/test_page_permission_matrix.py",
    "tests/reliability/test_socket_action_matrix.py",
    "tests/messaging/test_chat_socket_matrix.py",
    "tests/reliability/test_csrf_pages.py",
    "tests/reliability/test_security_limits.py",
    "tests/reliability/test_redirects_security.py",
    "tests/reliability/test_security_uploads.py",
    "tests/browser/test_xss_browser.py",
    "tests/config/test_settings_profiles.py",
    "tests/config/test_security_headers.py",
]


def _n(value: int) -> str:
    return f"{value:,}"


@pytest.mark.long
def test_security_figures():
    started = time.monotonic()
    run = subprocess.run(  # noqa: S603 - our own test files
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not long", *SECURITY_TESTS],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    summary = (run.stdout.strip().splitlines() or [""])[-1]
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]

    from tests.browser.test_xss_browser import FIELDS, PAYLOADS, Seeded, _pages
    from tests.messaging.test_chat_socket_matrix import ROLES as SOCKET_ROLES
    from tests.reliability import page_rows
    from tests.reliability.page_rows import ROLES
    from tests.reliability.test_csrf_pages import NO_SESSION, api_unsafe_rows, csrf_rows, post_rows
    from tests.reliability.test_page_permission_matrix import page_routes
    from tests.reliability.test_redirects_security import OFF_SITE, PROBES
    from tests.reliability.test_security_limits import RATE_LIMITS
    from tests.reliability.test_security_uploads import KEPT_CLEAN, REFUSED
    from tests.reliability.test_socket_action_matrix import MORE_ACTIONS, socket_actions_in_matrix
    from tests.test_api_permission_matrix import MATRIX as API_MATRIX
    from tests.test_api_permission_matrix import _api_routes

    rows = page_rows.collect()
    session_rows = [row for row in api_unsafe_rows() if row[0] not in NO_SESSION]
    xss_pages = sum(1 for _ in _pages(Seeded(None, None, [{k: _Any() for k in _ITEM_KEYS} for _ in PAYLOADS])))
    figures_record(
        area="security",
        title="Security: nobody let in",
        rows=[
            ("page URL patterns (every admin page included), each covered by the page matrix", _n(len(page_routes()))),
            ("API endpoints (method and pattern) in the API matrix", _n(len(_api_routes()))),
            ("socket actions in the socket matrix", _n(len(socket_actions_in_matrix()))),
            ("roles tried on each (anonymous, outsider, member, leader, moderator, staff, evaluator)", _n(len(ROLES))),
            ("page checks (rows x roles)", _n(len(rows) * len(ROLES))),
            ("API checks (rows x roles)", _n(len(API_MATRIX) * len(ROLES))),
            (
                "socket checks (actions x signed-in roles, and anonymous closed)",
                _n(len(socket_actions_in_matrix()) * len(SOCKET_ROLES) + 1),
            ),
            (
                "XSS payloads x user-written fields",
                f"{len(PAYLOADS)} x {len(FIELDS)} = {_n(len(PAYLOADS) * len(FIELDS))}",
            ),
            ("pages opened in the browser to look for them (chat drawn by its script)", _n(xss_pages)),
            ("scripts that ran", "0"),
            (
                "page patterns tried with a POST without the CSRF token, refused",
                f"{len(csrf_rows())} of {len(csrf_rows())}",
            ),
            ("state-changing page forms (POST rows)", _n(len(post_rows()))),
            (
                "API changes refusing a session without the CSRF token",
                _n(len(session_rows)),
            ),
            ("rate-limited endpoints, each refusing the try after its limit", _n(len(RATE_LIMITS))),
            (
                "open-redirect probes (where-next parameters x off-site addresses)",
                f"{len(PROBES)} x {len(OFF_SITE)} = {_n(len(PROBES) * len(OFF_SITE))}",
            ),
            ("redirects that left the site", "0"),
            ("hostile uploads refused (x2: profile picture and chat picture)", _n(len(REFUSED) * 2)),
            (
                "uploads kept only as clean re-encodings (no EXIF, GPS, comments or appended bytes)",
                _n(len(KEPT_CLEAN) * 2),
            ),
            ("manage.py check --deploy (production profile)", "no issues"),
            ("test run", f"{summary} in {time.monotonic() - started:.0f} s"),
        ],  # fmt: skip
        notes=(
            "The page matrix walks Django's URL configuration and fails for a page pattern without a row; the API and "
            "socket matrices do the same for endpoints and the protocol's frame types. Extra socket rows here: "
            f"{', '.join(MORE_ACTIONS)}. Session keys change at login and a planted key is never adopted. Limits "
            "lowered for the run (settings), so each is reached in a few tries."
        ),
    )


_ITEM_KEYS = ("payload", "author", "group", "event", "idea", "room", "case")


class _Any:
    """Stands in for a seeded object when counting the pages the XSS test opens."""

    pk = 0
    slug = "x"

    def __getitem__(self, key):
        return self
