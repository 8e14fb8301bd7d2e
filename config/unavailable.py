"""When the database can't be reached (restarting, failing over, out of connections), people get a calm 503 - a
plain page, or `{"code": "unavailable", "detail": ...}` from the API - with Retry-After, instead of a 500.

Django turns any exception a view or middleware raises into a call to `handler500` (config/urls.py) while the
exception is still being handled, so this looks at it there: that catches the database failing anywhere (in a view,
in DRF, in the middleware that loads the signed-in person). The page is rendered without the request's context
processors, which would read the database again. Nothing here keeps state: once the database answers, the next
request is served as usual (the connection pool checks each connection before handing it out; see
config/settings/base.py).
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_DETAIL = (
    "We can't reach our records just now. Nothing you've already shared has been lost. Please try again in a minute."
)


def is_database_unavailable(error: BaseException | None) -> bool:
    """The database refused, dropped or never gave a connection (psycopg's OperationalError and InterfaceError, the
    pool timing out, SQLite's file unreadable): worth trying again later, not a bug in the request."""
    return isinstance(error, OperationalError | InterfaceError)


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "unavailable", "detail": UNAVAILABLE_DETAIL}, status=503)
    else:
        page = loader.get_template("unavailable.html").render({"path": request.path})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: a 503 when the database is unreachable, Django's plain 500 page for anything else."""
    if is_database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request, template_name=template_name)
