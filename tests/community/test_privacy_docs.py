"""docs/privacy.md stays true to the code: every section of the personal-data list, every retention rule and every
retention setting is in it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from community.personal_data import personal_data_sections
from community.services.retention import retention_rules

DOC = (Path(settings.BASE_DIR) / "docs" / "privacy.md").read_text()


def test_every_section_of_what_we_keep_is_in_the_table():
    missing = [section.title for section in personal_data_sections() if f"| {section.title} |" not in DOC]
    assert not missing


def test_every_retention_rule_and_setting_is_documented():
    assert not [rule.key for rule in retention_rules() if f"`{rule.key}`" not in DOC]
    periods = [name for name in dir(settings) if name.startswith("HN_RETENTION_")] + ["HN_EXPORT_LINK_DAYS"]
    assert not [name for name in periods if f"`{name}`" not in DOC]


def test_the_documented_headers_are_the_ones_sent():
    assert not [part for part in settings.HN_CONTENT_SECURITY_POLICY.split("; ") if part not in DOC]
    assert settings.HN_PERMISSIONS_POLICY in DOC
