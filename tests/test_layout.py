"""The package rules of the architecture map, checked on the imports themselves (README, "Packages")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "omnidesk"
SERVER = ROOT / "server"


def imports(path: Path) -> set[str]:
    """Every omnidesk module ``path`` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("omnidesk"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("omnidesk"))
    return found


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("domain", ("omnidesk.server", "omnidesk.client", "omnidesk.channels", "omnidesk.protocol")),
        ("protocol", ("omnidesk.server", "omnidesk.client", "omnidesk.channels")),
        ("channels", ("omnidesk.server", "omnidesk.client")),
        ("client", ("omnidesk.server", "omnidesk.channels")),
        ("server", ("omnidesk.client",)),
    ],
)
def test_a_package_never_imports_what_the_map_forbids(package, forbidden):
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules(ROOT / package)
        for name in imports(path)
        if name.startswith(forbidden)
    ]
    assert offences == []


def test_only_the_client_imports_qt():
    offences = []
    for path in modules(ROOT):
        if path.is_relative_to(ROOT / "client") or path.is_relative_to(ROOT / "demo"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [node.module] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            offences += [f"{path.relative_to(ROOT)}: {n}" for n in names if n and n.startswith(("PySide6", "qasync"))]
    assert offences == []


def test_features_never_import_another_features_views():
    offences = []
    for path in modules(SERVER):
        feature = path.relative_to(SERVER).parts[0] if len(path.relative_to(SERVER).parts) > 1 else None
        if path.name == "app.py" and feature is None:
            continue  # the app factory is the one place that mounts every router
        for name in imports(path):
            parts = name.split(".")
            if len(parts) >= 4 and parts[:2] == ["omnidesk", "server"] and parts[3] == "views" and parts[2] != feature:
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []


def test_there_is_no_flat_tables_module_any_more():
    assert not (SERVER / "models.py").exists()
    features = {p.parent.name for p in SERVER.glob("*/models.py")}
    assert {"auth", "users", "conversations", "customers", "events", "outbox", "audit"} <= features
