"""autobahn's per-connection debug pretty-printing is skipped unless its debug logging is on."""

import pprint

import txaio
from autobahn.websocket import protocol

import config.asgi  # noqa: F401 - applies it, as daphne does when it loads the application


def test_autobahn_pretty_prints_nothing_while_debug_logging_is_off():
    assert txaio.get_global_log_level() not in ("debug", "trace")
    assert protocol.pformat({"a": 1}) == ""


def test_autobahn_still_pretty_prints_when_debugging(monkeypatch):
    monkeypatch.setattr(txaio, "get_global_log_level", lambda: "debug")
    assert protocol.pformat({"a": 1}) == pprint.pformat({"a": 1})
