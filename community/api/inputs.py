"""Input checking shared by every app's API views."""

from __future__ import annotations


def validated(serializer_class, data) -> dict:
    """Check `data` with an input serializer; a problem becomes the usual 400 `{"code": "invalid", ...}`."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
