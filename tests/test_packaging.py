"""The wheel ships the ontology, shapes, queries, curation, release and py.typed, and works outside a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import rcpgraph

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # builds and installs a wheel, and rebuilds the release from it


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built offline from this checkout (hatchling comes with the test extras)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("rcpgraph-*.whl"))


def test_the_wheel_ships_the_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (
        "rcpgraph/resources/ontology/rcp.ttl",
        "rcpgraph/resources/ontology/shapes.ttl",
        "rcpgraph/resources/data/source/annex-b-rcp-development-policy-coherence.txt",
        "rcpgraph/resources/data/source/SHA256SUMS",
        "rcpgraph/resources/data/curation/cells.yaml",
        "rcpgraph/resources/data/release/rcpgraph.ttl",
        "rcpgraph/resources/data/release/rcpgraph-inferred.ttl",
        "rcpgraph/resources/queries/groups.rq",
        "rcpgraph/resources/ontology/qc/individual-without-label.rq",
        "rcpgraph/resources/queries/usual-names.rq",
        "rcpgraph/cli/__init__.py",
        "rcpgraph/serve/templates/pictures/figure.html",
        "rcpgraph/py.typed",
        "rcpgraph/serve/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "rcpgraph/serve/static/vendor/swagger-ui/LICENSE",
        "rcpgraph/serve/static/vendor/codemirror/codemirror.js",
        "rcpgraph/serve/static/vendor/codemirror/sparql.js",
        "rcpgraph/serve/static/vendor/codemirror/LICENSE",
        "rcpgraph/serve/templates/search.html",
    ):
        assert path in names, path


def test_the_wheel_has_the_one_version(wheel: Path) -> None:
    assert wheel.name.startswith(f"rcpgraph-{rcpgraph.__version__}-")


def test_installed_rcpgraph_builds_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {key: value for key, value in os.environ.items() if key != "RCPGRAPH_HOME"}
    env["PYTHONPATH"] = str(target)
    run = subprocess.run(
        [sys.executable, "-m", "rcpgraph", "build", "--out", str(elsewhere / "release")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith(f"rcpgraph build: wrote {elsewhere / 'release' / 'rcpgraph.ttl'} (")
    shipped = target / "rcpgraph" / "resources" / "data" / "release"
    for name in ("rcpgraph.ttl", "rcpgraph-inferred.ttl"):
        assert (elsewhere / "release" / name).read_bytes() == (shipped / name).read_bytes()
    query = subprocess.run(
        [sys.executable, "-m", "rcpgraph", "query", "groups", "--format", "csv"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert query.returncode == 0, query.stderr
    assert "https://w3id.org/rcpgraph/id/process/midsa" in query.stdout
    checked = subprocess.run(
        [sys.executable, "-m", "rcpgraph", "check-ontology"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert (checked.returncode, checked.stderr) == (0, "rcpgraph check-ontology: 0 violations (0 of 7 rules)\n")


def test_installed_rcpgraph_draws_the_network_with_the_network_blocked(wheel: Path, tmp_path: Path) -> None:
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {key: value for key, value in os.environ.items() if key != "RCPGRAPH_HOME"}
    env["PYTHONPATH"] = str(target)
    script = (
        "import sys\nfrom rcpgraph import offline\nfrom rcpgraph.cli import main\n"
        "with offline.guard():\n    code = main(['draw', 'network', '-o', 'net.svg'])\nsys.exit(code)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    here = subprocess.run(
        [sys.executable, "-m", "rcpgraph", "draw", "network"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert (elsewhere / "net.svg").read_text(encoding="utf-8") == here.stdout
