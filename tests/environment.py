"""A pytest plugin loaded first (`-p tests.environment` in pyproject.toml), before Django reads its settings.

Tests run with the development defaults (no HTTPS redirect, a development key). Production settings are checked
separately, in a subprocess, by tests/tracker/test_settings.py.
"""

import os

os.environ.setdefault("DEBUG", "1")
