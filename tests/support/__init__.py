"""Helpers shared by the test areas (importable because setup.cfg puts tests/ on the path)."""
