"""Settings for the chat benchmark's servers: the app's benchmark settings with chat's rate limits raised.

The limits are raised by configuration only, as the issue asks; the product path still checks them on every message
(the token bucket in the cache, the per-socket frame budget). The database and layer come from the environment as in
the app: DATABASE_URL / REDIS_URL, otherwise a SQLite file in VAR_DIR and the in-memory channel layer.
"""

from bench.settings import *  # noqa: F403

HN_CHAT_BURST_MESSAGES = 1_000_000
HN_CHAT_BURST_SECONDS = 1
HN_CHAT_MESSAGES_PER_MINUTE = 100_000_000
HN_SOCKET_FRAMES_BURST = 1_000_000
HN_SOCKET_FRAMES_PER_SECOND = 1_000_000

# Daphne's "Listening on TCP address ..." line (INFO) tells the benchmark the server is ready.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "daphne.server": {"level": "INFO"}}}  # noqa: F405

# `--memory-layer ours` (bench/chat_bench.py): measure with messaging.layers.InMemoryChannelLayer instead of the one
# the app's settings name, to show what it changes (both servers on the layer get it, as they share the layer).
if not REDIS_URL and env_str("HN_BENCH_MEMORY_LAYER", "") == "ours":  # noqa: F405
    CHANNEL_LAYERS = {"default": {"BACKEND": "messaging.layers.InMemoryChannelLayer"}}
