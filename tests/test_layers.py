"""The rule of imports between layers (ARCHITECTURE.md)."""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
ENGINE_FORBIDDEN = ("flask", "werkzeug", "marshmallow", "api")
API_FORBIDDEN = ("SpiffWorkflow", "sqlalchemy", "lxml")


def imported_modules(package: str, root=ROOT):
    """(file, module) for every import in ``package``."""
    for path in sorted((root / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(root), alias.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path.relative_to(root), node.module
                for alias in node.names:
                    yield path.relative_to(root), f"{node.module}.{alias.name}"


def engine_exports(root=ROOT) -> set[str]:
    """The names ``engine/__init__.py`` lists in ``__all__`` (the facade's public names)."""
    tree = ast.parse((root / "engine" / "__init__.py").read_text())
    for node in tree.body:
        names = [getattr(t, "id", None) for t in getattr(node, "targets", ())]
        if isinstance(node, ast.Assign) and "__all__" in names:
            return set(ast.literal_eval(node.value))
    return set()


def _top(module: str) -> str:
    return module.split(".")[0]


def violations(package: str, forbidden, allowed_engine_modules=(), root=ROOT):
    # ``from engine import Engine`` reads as ``engine.Engine``: an exported name, not a submodule.
    allowed = set(allowed_engine_modules) | engine_exports()
    found = []
    for path, module in imported_modules(package, root):
        if _top(module) in forbidden:
            found.append(f"{path}: {module}")
        if package == "api" and _top(module) == "engine":
            parts = module.split(".")
            if len(parts) > 1 and parts[1] not in allowed:
                found.append(f"{path}: {module} (engine internals)")
    return found


def test_engine_imports_no_web_layer():
    assert violations("engine", ENGINE_FORBIDDEN) == []


def test_api_imports_only_the_engine_facade():
    # The facade package exports what the API may use; submodules are internals.
    assert violations("api", API_FORBIDDEN, allowed_engine_modules=()) == []


@pytest.mark.parametrize("source, package, forbidden", [
    ("import flask\n", "engine", ENGINE_FORBIDDEN),
    ("from marshmallow import Schema\n", "engine", ENGINE_FORBIDDEN),
    ("from SpiffWorkflow.bpmn import BpmnWorkflow\n", "api", API_FORBIDDEN),
    ("import sqlalchemy.orm\n", "api", API_FORBIDDEN),
    ("from engine.storage import models\n", "api", API_FORBIDDEN),
])
def test_the_check_catches_a_violation(tmp_path, source, package, forbidden):
    (tmp_path / package).mkdir()
    (tmp_path / package / "bad.py").write_text(source)
    assert violations(package, forbidden, root=tmp_path) != []


@pytest.mark.parametrize("source", ["from engine import Engine, NotFound\n", "import engine\n"])
def test_the_check_allows_the_facade(tmp_path, source):
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "good.py").write_text(source)
    assert violations("api", API_FORBIDDEN, root=tmp_path) == []
