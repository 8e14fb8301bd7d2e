"""ASGI entry point: HTTP goes to Django; WebSockets pass the origin check and authentication first."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.autobahn_logging import skip_idle_pretty_printing  # noqa: E402
from config.socket_auth import SessionOrTokenAuthMiddleware  # noqa: E402
from config.websocket_urls import websocket_urlpatterns  # noqa: E402

skip_idle_pretty_printing()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(SessionOrTokenAuthMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
