"""The import layers (`pyproject.toml` [tool.importlinter], checked by `lint-imports` in CI) cover every module.

import-linter checks only the modules a contract names: a new module left
out of the layers could import anything. This test names the ones missing.
"""

import tomllib

from django.conf import settings

# Django's app config: imported by Django, not by our modules.
OUTSIDE_THE_LAYERS = {"visits.apps"}


def layered_modules():
    config = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())
    (layers,) = [c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return {name.strip() for layer in layers for name in layer.split("|")}


def top_level_modules():
    package = settings.BASE_DIR / "visits"
    modules = set()
    for path in package.iterdir():
        if path.name.startswith("_") or path.name == "migrations":
            continue
        if path.suffix == ".py":
            modules.add(f"visits.{path.stem}")
        elif (path / "__init__.py").is_file():
            modules.add(f"visits.{path.name}")
    return modules


def test_every_module_of_the_app_sits_in_a_layer():
    assert sorted(top_level_modules() - OUTSIDE_THE_LAYERS - layered_modules()) == []


def test_the_layers_name_only_modules_that_exist():
    assert sorted(layered_modules() - top_level_modules()) == []
