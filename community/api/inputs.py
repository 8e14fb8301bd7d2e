"""Input checking shared by every app's API views."""

from __future__ import annotations

ID_MAX = 2**63 - 1  # the largest id a database stores; a larger one is refused (400) rather than reaching a query


def validated(serializer_class, data) -> dict:
    """Check `data` with an input serializer; a problem becomes the usual 400 `{"code": "invalid", ...}`."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
