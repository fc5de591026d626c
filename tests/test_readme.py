"""The README stays true: its API coverage table is the endpoint table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_api_coverage_table_matches_the_endpoint_table():
    result = subprocess.run([sys.executable, "scripts/api_coverage.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
