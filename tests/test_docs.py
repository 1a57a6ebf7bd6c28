"""Documentation is part of the product: an undocumented command or setting fails the suite."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

from parstat.cli import ALIASES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_it_opens_with_the_two_newcomer_commands():
    head = README[:1200]
    assert "make run" in head and "make test" in head


def test_it_documents_every_parstat_command():
    ours = {name for name, app in get_commands().items() if app == "parstat.console"}
    public = {alias for alias, name in ALIASES.items() if name in ours}
    public |= ours - set(ALIASES.values())
    assert public, "no parstat commands found"
    for name in sorted(public):
        assert f"`parstat {name}" in README, f"`parstat {name}` is not in README.md"


def test_it_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "parstat" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"environ(?:\.get)?\(\s*\"([A-Z_]+)\"", settings_source))
    names |= set(re.findall(r"_flag\(\"([A-Z_]+)\"", settings_source))
    assert "DATABASE_URL" in names and "PARSTAT_DEBUG" in names
    for name in sorted(names):
        assert f"`{name}`" in README, f"setting {name} is not in README.md"


def test_it_documents_every_rule_of_the_template():
    import yaml

    template = yaml.safe_load((ROOT / "parstat/catalog/data/B1-SN-2023.yaml").read_text("utf-8"))
    doc = (ROOT / "docs" / "template-format.md").read_text(encoding="utf-8")
    for rule in template["rules"]:
        assert rule["code"] in doc, f"rule {rule['code']} is not in docs/template-format.md"
