"""pyproject.toml's mypy override: it excuses only packages that sim imports and that ship no type information,
so a package that ships its own (py.typed) is type-checked rather than waved through."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _excused() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    modules = [
        m for o in config["tool"]["mypy"]["overrides"] if o.get("ignore_missing_imports") for m in o["module"]
    ]
    return [m.removesuffix(".*") for m in modules]


def test_the_override_excuses_only_imported_packages_without_type_information():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "sim").rglob("*.py"))
    for name in _excused():
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, f"{name} is not an installed package"
        folder = Path(next(iter(spec.submodule_search_locations)))
        assert not (folder / "py.typed").exists(), f"{name} ships py.typed: check it, do not excuse it"
        assert re.search(rf"^\s*(import|from) {re.escape(name)}\b", sources, re.M), (
            f"sim never imports {name}"
        )
