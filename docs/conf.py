"""Sphinx configuration of the provider's documentation site (``make docs``).

Pages are Markdown (MyST). Code shown in a page is included from the example DAGs and tests between
``[START name]`` / ``[END name]`` markers, never pasted; the API reference is generated from the
docstrings. CI builds with warnings as errors, so a broken internal link or a missing include fails.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The API reference imports the package, which imports Airflow: keep its home out of the user's.
os.environ.setdefault("AIRFLOW_HOME", str(ROOT / "docs" / "_build" / "airflow-home"))

from airflow_provider_ordermesh import __version__  # noqa: E402

project = "airflow-provider-ordermesh"
author = "The OrderMesh provider team"
copyright = "2026, The OrderMesh provider team"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "sphinxcontrib.mermaid",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "images/README.md", "generated"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

# The API reference: members in source order, the signature's types in the description.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True}
# Airflow, pydantic and typing internals that the signatures mention are not documented here.
nitpicky = False

html_theme = "furo"
html_title = f"OrderMesh provider {__version__}"
html_static_path: list[str] = []
