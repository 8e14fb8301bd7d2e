"""The chat token bucket: bursts, the per-minute limit, refilling, and sharing through the cache."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import override_settings

from community.errors import RateLimited
from messaging.ratelimit import Bucket, message_rate_limit, take_token

BUCKETS = (Bucket("burst", 5, 5), Bucket("minute", 30, 60))


def take(now: float, scope: str = "test:1") -> None:
    with mock.patch("messaging.ratelimit.time.time", return_value=now):
        take_token(scope=scope, buckets=BUCKETS)


def test_five_at_once_then_a_wait():
    for _ in range(5):
        take(1000.0)
    with pytest.raises(RateLimited) as caught:
        take(1000.0)
    assert caught.value.retry_after == 1
    take(1001.0)  # one token back after a second


def test_thirty_a_minute_is_the_steady_rate():
    now = 1000.0
    for _ in range(200):  # one every two seconds, for more than six minutes: always fine
        take(now)
        now += 2.0


def test_one_a_second_runs_out_within_the_first_minute():
    now, taken = 1000.0, 0
    with pytest.raises(RateLimited) as caught:
        while taken < 100:
            take(now)
            taken += 1
            now += 1.0
    # A full bucket of 30, refilled at one every 2 seconds while spending one a second.
    assert 55 <= taken <= 61
    assert caught.value.retry_after >= 1


def test_a_refused_try_takes_no_token():
    for _ in range(5):
        take(1000.0)
    for _ in range(10):
        with pytest.raises(RateLimited):
            take(1000.5)
    take(1001.0)


def test_people_have_separate_buckets():
    for _ in range(5):
        take(1000.0, scope="test:1")
    take(1000.0, scope="test:2")


@override_settings(HN_CHAT_BURST_MESSAGES=2, HN_CHAT_BURST_SECONDS=2, HN_CHAT_MESSAGES_PER_MINUTE=100)
def test_the_message_limit_follows_the_settings():
    message_rate_limit(user_id=7)
    message_rate_limit(user_id=7)
    with pytest.raises(RateLimited):
        message_rate_limit(user_id=7)
