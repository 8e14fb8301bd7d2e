"""Daphne's WebSocket library (autobahn) pretty-prints about 40 settings and the transport's details for debug log
lines on every new socket, even when debug logging is off (the argument is built before the logger drops it). That
was a tenth of the server's work per connect. This makes its `pformat` do that work only while autobahn's debug
logging is on."""

from __future__ import annotations

import pprint

import txaio


def _pformat_when_debugging(value, *args, **kwargs) -> str:
    if txaio.get_global_log_level() in ("debug", "trace"):
        return pprint.pformat(value, *args, **kwargs)
    return ""


def skip_idle_pretty_printing() -> None:
    try:
        from autobahn.websocket import protocol
    except ImportError:  # not served by daphne: nothing to do
        return
    if getattr(protocol, "pformat", None) is pprint.pformat:
        protocol.pformat = _pformat_when_debugging
