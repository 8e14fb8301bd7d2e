"""The OpenAPI schema's view of errors. Every error body is `{"code", "detail"}` (community/api/errors.py), and a few
answers can come from any operation whatever its own annotations say; the schema lists them so a client (and the
fuzzing in tests/reliability/test_api_fuzz.py) can rely on it:

- 401 `not_authenticated`: any operation that needs someone signed in;
- 403: the same operations (the policy gate, community/middleware.py, answers `policies_not_accepted` until the
  current agreement is accepted; most operations also refuse some roles);
- 400 `invalid`: any operation with query parameters or a request body (`invalid_characters` for a null character
  in the query string, community/middleware.py);
- 415 `unsupported_media_type`: any operation with a request body sent in a type it doesn't read;
- 404 `not_found`: any operation with a path parameter (no such thing, or a value the URL can't hold), and every
  paginated list (`page` past the end);
- 503 `unavailable`, with Retry-After: any operation while the database can't be reached (config/unavailable.py).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

ERROR_BODY = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "Stable, for programs: `not_found`, `invalid`..."},
        "detail": {"type": "string", "description": "A sentence you can show."},
        "fields": {"type": "object", "description": "With `invalid`: the message for each field."},
        "retry_after": {"type": "integer", "description": "With `rate_limited`: seconds to wait."},
    },
    "required": ["code", "detail"],
}

_GENERAL_ERRORS = {
    "400": "The request needs another look (`invalid`, with `fields`; `invalid_characters` for a null character).",
    "401": "Not signed in (`not_authenticated`, or `authentication_failed` for a bad token).",
    "403": "Not allowed (`forbidden`, a more specific code, or `policies_not_accepted`).",
    "404": "Not found (`not_found`, or a more specific code).",
    "415": "The body's Content-Type isn't one this operation reads (`unsupported_media_type`).",
    "503": "The database can't be reached just now (`unavailable`); try again after Retry-After seconds.",
}


class ApiAutoSchema(AutoSchema):
    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        needs_sign_in = any(not isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        parameters = operation.get("parameters", [])
        possible = {"503"}
        if needs_sign_in:
            possible |= {"401", "403"}
        if "requestBody" in operation or any(parameter["in"] == "query" for parameter in parameters):
            possible.add("400")
        if "requestBody" in operation:
            possible.add("415")
        if any(parameter["in"] == "path" for parameter in parameters):
            possible.add("404")
        if self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            possible.add("404")
        responses = operation.setdefault("responses", {})
        for code in sorted(possible - set(responses)):
            responses[code] = {
                "description": _GENERAL_ERRORS[code],
                "content": {"application/json": {"schema": ERROR_BODY}},
            }
        return operation
