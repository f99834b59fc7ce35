"""The layer rules of docs/architecture.md, as import-linter contracts in pyproject.toml: all must be kept."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_every_layer_rule_is_kept() -> None:
    """A broken contract names the rule and the chain of imports that breaks it."""
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[done.stdout.find("Contracts") :] + done.stderr


def test_the_rules_the_docs_promise_are_configured() -> None:
    """Dropping a contract from pyproject.toml must not make the first test pass vacuously."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {contract["id"]: contract for contract in config["contracts"]}
    assert set(contracts) == {
        "domain",
        "services-frameworks",
        "services-adapters",
        "storage",
        "api-web",
        "reports",
        "cli",
        "integrations",
    }
    assert "koers.services" in contracts["integrations"]["forbidden_modules"]
    assert "koers.web" in contracts["reports"]["forbidden_modules"]
    assert {"sqlalchemy", "fastapi", "koers.storage", "koers.services"} <= set(contracts["domain"]["forbidden_modules"])
    assert "sqlalchemy" in contracts["services-frameworks"]["forbidden_modules"]
    assert contracts["api-web"]["modules"] == ["koers.api", "koers.web"]
