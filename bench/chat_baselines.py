"""The two references the chat benchmark measures the product against.

- The **baseline**: the Channels tutorial's chat consumer (`group_send` per message, no authentication, no storage),
  served by the same daphne and channel layer as the product: `daphne bench.chat_baselines:application`.
- The **floor**: a bare `websockets` server that sends every text frame it receives to every open socket, the least a
  Python broadcast server can do: `python -m bench.chat_baselines floor`.
- The **daphne ceiling**: the same broadcast as a raw ASGI application on daphne (no Channels, no layer, no consumer
  classes): the most any Channels application served by daphne could reach, since daphne's own handling of each
  frame is all it pays: `daphne bench.chat_baselines:ceiling`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

TUTORIAL_GROUP = "chat_bench"


def _tutorial_application():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.chat_settings")
    import django

    django.setup()
    from channels.generic.websocket import AsyncWebsocketConsumer
    from channels.routing import ProtocolTypeRouter, URLRouter
    from django.urls import path

    class ChatConsumer(AsyncWebsocketConsumer):
        """The consumer from the Channels tutorial (part 3, "rewrite chat server as asynchronous"), one fixed room."""

        async def connect(self):
            self.room_group_name = TUTORIAL_GROUP
            await self.channel_layer.group_add(self.room_group_name, self.channel_name)
            await self.accept()

        async def disconnect(self, close_code):
            await self.channel_layer.group_discard(self.room_group_name, self.channel_name)

        async def receive(self, text_data):
            text_data_json = json.loads(text_data)
            message = text_data_json["message"]
            await self.channel_layer.group_send(self.room_group_name, {"type": "chat.message", "message": message})

        async def chat_message(self, event):
            message = event["message"]
            await self.send(text_data=json.dumps({"message": message}))

    return ProtocolTypeRouter({"websocket": URLRouter([path("ws/", ChatConsumer.as_asgi())])})


def __getattr__(name: str):
    # Built on first use, so importing this module (the floor, the tests) does not set Django up.
    if name == "application":
        global application
        application = _tutorial_application()
        return application
    raise AttributeError(name)


_ceiling_sockets: set = set()


async def ceiling(scope, receive, send) -> None:
    """Every text frame to every open socket of this process, awaiting daphne's send for each."""
    if scope["type"] != "websocket":
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    _ceiling_sockets.add(send)
    try:
        while True:
            event = await receive()
            if event["type"] == "websocket.disconnect":
                return
            text = event.get("text")
            if text is not None:
                frame = {"type": "websocket.send", "text": text}
                for each in list(_ceiling_sockets):
                    await each(frame)
    finally:
        _ceiling_sockets.discard(send)


async def serve_floor(port: int) -> None:
    from websockets.asyncio.server import broadcast, serve

    sockets = set()

    async def handler(websocket):
        sockets.add(websocket)
        try:
            async for text in websocket:
                broadcast(sockets, text)
        finally:
            sockets.discard(websocket)

    async with serve(handler, "127.0.0.1", port, compression=None, max_size=65536, ping_interval=None) as server:
        bound = server.sockets[0].getsockname()[1]
        print(f"Listening on TCP address 127.0.0.1:{bound}", file=sys.stderr, flush=True)
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The bare websockets broadcast server (the floor).")
    parser.add_argument("mode", choices=["floor"])
    parser.add_argument("--port", type=int, default=0)
    arguments = parser.parse_args(argv)
    asyncio.run(serve_floor(arguments.port))


if __name__ == "__main__":
    main()
