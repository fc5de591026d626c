"""The README stays true: its API coverage table and the DAG code it quotes are generated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_generated_parts_are_current():
    result = subprocess.run([sys.executable, "scripts/sync_readme.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
