"""Tests of the deployment files (deploy/k8s, deploy/terraform) against the application itself:
its settings lists (`sre-playground PROGRAM --help-markdown`) and the real programs, started on
loopback with tests/e2e/harness.py.

Run: /usr/bin/python3 -m pytest tests/deploy   (SRE_PLAYGROUND_BIN overrides the binary path)
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

import harness  # noqa: E402


def program_settings(program: str) -> dict[str, str]:
    """{NAME: default} of one program, from its --help-markdown table ("unset" for none)."""
    table = subprocess.run([str(harness.sre_binary()), program, "--help-markdown"],
                           check=True, capture_output=True, text=True).stdout
    settings = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        settings[cells[0].strip("`")] = cells[1].strip("`")
    return settings


@pytest.fixture(scope="session")
def settings_of():
    cache: dict[str, dict[str, str]] = {}

    def lookup(program: str) -> dict[str, str]:
        if program not in cache:
            cache[program] = program_settings(program)
        return cache[program]

    return lookup
