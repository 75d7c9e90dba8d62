"""Layout rules the project relies on."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_processing_imports_no_streamlit():
    modules = sorted(p.stem for p in (ROOT / "processing").glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('processing.' + name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print(len(leaked))\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
    assert len(modules) >= 4


PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))
#: The twelve lessons of issue 13 (6,605 lines before it): their pages together stay within this many lines.
FIRST_TWELVE_BUDGET = 4600
#: No lesson page is longer than this: a longer page hides its story in plumbing or in maths that belongs
#: in processing/ and ui/.
PAGE_BUDGET = 500
LONGEST_LINE = 120


def test_pages_build_no_cache_keys():
    """Caches are keyed by ui.cache.step from the function and its arguments; a key written by hand that
    forgets one input shows every learner a stale picture, so pages write none."""
    import ast

    forbidden_names = {"cached_step", "StepStore", "STEPS", "ArrayMemo", "mark", "step_key", "cache_data",
                       "cache_resource"}
    problems = []
    for path in PAGE_FILES + [ROOT / "app.py"]:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Attribute) and (node.attr == "key" or node.attr in forbidden_names):
                problems.append(f"{where} uses .{node.attr}")
            if isinstance(node, ast.ImportFrom) and any(alias.name in forbidden_names for alias in node.names):
                problems.append(f"{where} imports {[alias.name for alias in node.names]}")
            if isinstance(node, (ast.FunctionDef, ast.Lambda)):
                arguments = node.args.args + node.args.kwonlyargs + node.args.posonlyargs
                problems += [f"{where} takes a key parameter {a.arg!r}" for a in arguments
                             if a.arg == "key" or a.arg.endswith("_key")]
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id.endswith("_key"):
                problems.append(f"{where} assembles a key in {node.id!r}")
    assert not problems, "\n".join(problems)


def test_the_key_rule_is_checked_on_a_page_that_breaks_it(tmp_path, monkeypatch):
    """The check above fails on the way pages keyed their caches before issue 13."""
    global PAGE_FILES
    old_style = tmp_path / "old.py"
    old_style.write_text("from ui.cache import cached_step\n\n@cached_step()\ndef blur(key, size, _image):\n"
                         "    return _image\n\nwork_key = f'{source.key}:{3}'\n")
    monkeypatch.setattr(sys.modules[__name__], "PAGE_FILES", [old_style])
    try:
        test_pages_build_no_cache_keys()
    except AssertionError as error:
        message = str(error)
    else:
        raise AssertionError("an old-style page passed the key rule")
    for expected in ("imports ['cached_step']", "takes a key parameter 'key'", "assembles a key in 'work_key'",
                     "uses .key"):
        assert expected in message


def test_no_line_is_longer_than_120_characters():
    long_lines = [f"{path.relative_to(ROOT)}:{number}: {len(line)}"
                  for folder in ("pages", "processing", "ui") for path in sorted((ROOT / folder).glob("*.py"))
                  for number, line in enumerate(path.read_text().splitlines(), 1) if len(line) > LONGEST_LINE]
    assert long_lines == []


def test_lesson_pages_stay_short():
    from ui.lessons import LESSONS

    lengths = {lesson.page: len((ROOT / lesson.page).read_text().splitlines()) for lesson in LESSONS}
    first_twelve = [lesson.page for lesson in LESSONS if lesson.page.split("/")[1][:2].isdigit()
                    and int(lesson.page.split("/")[1][:2]) <= 12]
    assert len(first_twelve) == 12
    assert sum(lengths[page] for page in first_twelve) <= FIRST_TWELVE_BUDGET, lengths
    assert {page: n for page, n in lengths.items() if n > PAGE_BUDGET} == {}


def test_every_page_names_its_processing_modules_and_tests():
    """A page's docstring says where its maths and its tests live, and those files exist."""
    import ast
    import re

    from ui.lessons import LESSONS

    for lesson in LESSONS:
        docstring = ast.get_docstring(ast.parse((ROOT / lesson.page).read_text())) or ""
        named = re.findall(r"(processing/\w+\.py|tests/[\w/]+\.py)", docstring)
        assert any(p.startswith("processing/") for p in named), lesson.page
        assert any(p.startswith("tests/") for p in named), lesson.page
        assert all((ROOT / p).exists() for p in named), (lesson.page, named)
