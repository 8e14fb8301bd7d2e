"""The OpenAPI schema builds with no warnings: every endpoint is described, no name clashes."""

from __future__ import annotations

from django.core.management import call_command


def test_the_schema_builds_without_warnings(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/moderation/queue/" in text
    assert "/api/v1/messages/{message_id}/report/" in text
