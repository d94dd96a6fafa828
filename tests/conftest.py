"""Shared fixtures: the project tree, a scratch copy of it, the in-memory build, one full build, and the real
SPARQL stores the release is pushed into.

The hooks at the end put the longest files first (so that under xdist no long file starts last) and
collect the outcomes of the W3C suites for their EARL reports (tests/earl.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import earl
import pytest
import stores

from rcpgraph import paths
from rcpgraph.cli import main
from rcpgraph.pipeline import graph, reasoning

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
TREE = ("pyproject.toml", "ontology", "data", "queries")
_EARL: list[earl.Assertion] = []
# The files that take longest (measured with --durations), longest first: they run first, and the
# many short files fill the time left on the other processes (with --no-loadscope-reorder, xdist
# hands out the files in this order).
LONGEST = (
    "test_owl_reasoners.py",
    "test_cli_build.py",
    "test_shapes.py",
    "test_push.py",
    "test_serve_browser.py",
    "test_serve_remote.py",
    "test_remote.py",
    "test_packaging.py",
    "test_api.py",
    "test_rdfio.py",
    "test_statistics.py",
    "test_serve_connections.py",
    "test_fuzz.py",
    "test_statements.py",
)


@pytest.fixture(scope="session")
def layout() -> paths.Layout:
    """The layout of this checkout."""
    return paths.Layout(ROOT, is_checkout=True)


@pytest.fixture(scope="session")
def inputs(layout: paths.Layout) -> graph.Inputs:
    """The source, curation and ontology of this checkout, loaded once."""
    return graph.load_inputs(layout)


@pytest.fixture(scope="session")
def asserted(inputs: graph.Inputs):
    """The asserted graph, built once per session."""
    return graph.asserted_graph(inputs)


@pytest.fixture(scope="session")
def inferred(asserted):
    """The entailments of the asserted graph, computed once per session."""
    return reasoning.entailments(asserted)


@dataclass(frozen=True)
class Build:
    """What `rcpgraph build --out DIR` did: its exit code, what it wrote on standard error, and DIR."""

    code: int
    stderr: str
    out: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """One full `rcpgraph build` of this checkout into a temporary folder, for the tests that only read it."""
    out = tmp_path_factory.mktemp("build") / "release"
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.chdir(ROOT)
        patch.setenv("RCPGRAPH_HOME", str(ROOT))
        code = main(["build", "--out", str(out)])
    return Build(code, stderr.getvalue(), out)


@pytest.fixture(scope="session")
def client(layout: paths.Layout) -> TestClient:
    """The service over this checkout's release (10 s a query), in process, made once per session for the files
    that only send it requests; a file that needs other settings makes its own `client`."""
    from fastapi.testclient import TestClient

    from rcpgraph.serve.app import create_app
    from rcpgraph.serve.settings import Settings

    return TestClient(create_app(Settings(release=layout.release_dir, timeout=10), layout))


@pytest.fixture(scope="session")
def pushed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], stores.Endpoints]]:
    """The real stores by kind (`stores.KINDS`), each started and filled by `rcpgraph push` once per session, when a
    test first needs it, for the files that only query them; stopped when the session ends."""
    with stores.Pushed(tmp_path_factory.mktemp("stores")) as running:
        yield running.get


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch copy of the checkout's data tree, used as the working directory."""
    copy = tmp_path / "tree"
    copy.mkdir()
    for name in TREE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        elif source.exists():
            shutil.copy2(source, copy / name)
    monkeypatch.chdir(copy)
    monkeypatch.delenv("RCPGRAPH_HOME", raising=False)
    return copy


@pytest.fixture()
def w3c_test(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Name the W3C test (suite, test IRI) the calling test runs, for the EARL reports."""
    return lambda suite, test: earl.mark(request.node, suite, test)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the files of LONGEST first, longest first, each file's tests in their order."""
    rank = {name: index for index, name in enumerate(LONGEST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONGEST)))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Keep the EARL outcome of a test that ran a W3C test."""
    assertion = earl.collect(report)
    if assertion is not None:
        _EARL.append(assertion)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the EARL reports into the folder RCPGRAPH_EARL names, if it names one (not on xdist workers)."""
    folder = os.environ.get(earl.VARIABLE)
    if folder and not hasattr(session.config, "workerinput"):
        earl.write(Path(folder), _EARL)
