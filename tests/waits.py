"""How long the socket tests wait for something that should happen.

Generous on purpose: a wait ends as soon as the frame arrives, so the margin is only used when the machine is busy with
other work (a 1-second connect once ran out in CI on PostgreSQL). Waits for something that must NOT happen stay short
and live beside their tests.
"""

CONNECT_TIMEOUT = 10
FRAME_TIMEOUT = 10
