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
# The benchmark's senders stand for established members: their messages are still screened (word lists and crisis
# language on every message) but not held as a newcomer's first messages would be.
HN_NEW_MEMBER_HELD_MESSAGES = 0
HN_NEW_MEMBER_LINK_DAYS = 0

# Daphne's "Listening on TCP address ..." line (INFO) tells the benchmark the server is ready.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "daphne.server": {"level": "INFO"}}}  # noqa: F405

# The tutorial's server on the in-memory run (bench/chat_bench.py `--baseline-layer`): Channels' own in-memory layer,
# as the tutorial sets it up, or ours (messaging.layers) to show what the layer alone changes.
if not REDIS_URL:  # noqa: F405
    _layer = env_str("HN_BENCH_MEMORY_LAYER", "")  # noqa: F405
    if _layer == "channels":
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    elif _layer == "ours":
        CHANNEL_LAYERS = {"default": {"BACKEND": "messaging.layers.InMemoryChannelLayer"}}
