"""Shared test setup: the repository root is importable and hypothesis stays quick."""

import os
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# A poor alt text raises under the tests (ui.alt.check_alt), in AppTest and in the servers browser tests start.
os.environ["PIXEL_LAB_STRICT_ALT"] = "1"

settings.register_profile("pixel-lab", max_examples=40, deadline=None)
settings.load_profile("pixel-lab")


def _compile_pages_once() -> None:
    """AppTest compiles the page on every run; `streamlit run` compiles each page once. Share one
    script cache, as the server does: thousands of AppTest runs would otherwise spend minutes compiling."""
    import streamlit.testing.v1.app_test as app_test_module
    import streamlit.testing.v1.local_script_runner as local_runner_module
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    shared = ScriptCache()
    app_test_module.ScriptCache = local_runner_module.ScriptCache = lambda: shared


_compile_pages_once()
