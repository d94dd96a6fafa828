"""`rcpgraph push` into real stores started by the tests: what it reports, what the store then holds, and that a
failed or killed push leaves the previous data answering."""

from __future__ import annotations

import contextlib
import io
import os
import pty
import signal
import socket
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest
import stores
from live import ROOT, Canary, free_port
from test_remote import QUERIES, _answer

from rcpgraph import rdfio
from rcpgraph.cli import main
from rcpgraph.paths import VOID_NAME, locate, query_files
from rcpgraph.pipeline.versioning import load_ontology
from rcpgraph.sparql.remote import Remote
from rcpgraph.sparql.store import Store, open_store
from rcpgraph.stores.http import Credentials

LAYOUT = locate()
GRAPHS = stores.GRAPHS
UNCHANGED = "; the store's graphs are unchanged"


@pytest.fixture(scope="module")
def counts() -> dict[str, int]:
    """The triples of each graph of the committed release, counted by rdflib."""
    asserted, inferred, statistics = (len(rdfio.parse_file(path)) for path in query_files(LAYOUT.release_dir))
    return {
        GRAPHS + "asserted": asserted,
        GRAPHS + "inferred": inferred,
        GRAPHS + "ontology": len(load_ontology(LAYOUT.ontology_file)),
        GRAPHS + "statistics": statistics,
    }


@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[stores.Endpoints]:
    """A running Oxigraph server of its own, empty."""
    with stores.oxigraph(tmp_path / "oxigraph") as running:
        yield running


@pytest.fixture(scope="module")
def embedded() -> Store:
    """The committed release on the embedded store."""
    return open_store(query_files(LAYOUT.release_dir))


def push(*argv: str) -> tuple[int, str, str]:
    """Run `rcpgraph push ARGV` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["push", *argv])
    return code, out.getvalue(), err.getvalue()


def report(counts: dict[str, int]) -> str:
    """What a push of the committed release into the four named graphs prints."""
    staged = "".join(f"staged {n} triples for <{graph}>\n" for graph, n in counts.items())
    swapped = "swapped in: " + ", ".join(f"<{graph}>" for graph in counts) + "\n"
    return staged + swapped + "".join(f"verified: <{graph}> holds {n} triples\n" for graph, n in counts.items())


@pytest.mark.slow
def test_push_reports_and_verifies(oxigraph: stores.Endpoints, counts: dict[str, int]) -> None:
    assert push(*oxigraph.push_options()) == (0, report(counts), "")
    assert stores.rcpgraph_graphs(oxigraph.query) == counts


@pytest.mark.slow
def test_a_second_push_replaces_the_first(oxigraph: stores.Endpoints, counts: dict[str, int]) -> None:
    assert push(*oxigraph.push_options())[0] == 0
    assert push(*oxigraph.push_options()) == (0, report(counts), "")
    assert stores.rcpgraph_graphs(oxigraph.query) == counts


@pytest.mark.slow
def test_push_without_endpoint_is_not_verified(oxigraph: stores.Endpoints, counts: dict[str, int]) -> None:
    code, out, err = push("--store", oxigraph.store, "--update", oxigraph.update)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "not verified (no --endpoint)"
    assert stores.rcpgraph_graphs(oxigraph.query) == counts


@pytest.mark.slow
def test_push_into_the_default_graph(oxigraph: stores.Endpoints, counts: dict[str, int], embedded: Store) -> None:
    code, out, err = push(*oxigraph.push_options(), "--graph", "default")
    total = counts[GRAPHS + "asserted"] + counts[GRAPHS + "inferred"] + counts[GRAPHS + "statistics"]
    assert (code, err) == (0, "")
    assert out == (
        f"staged {total} triples for the default graph\nswapped in: the default graph\n"
        f"verified: the default graph holds {total} triples\n"
    )
    remote = open_store([], remote=Remote(oxigraph.query, Credentials(), ()))
    assert _answer(remote, "groups") == _answer(embedded, "groups")
    assert stores.rcpgraph_graphs(oxigraph.query) == {}


def interrupted_push(
    oxigraph: stores.Endpoints, folder: Path, sent: signal.Signals
) -> subprocess.CompletedProcess[str]:
    """Push a one-triple release from another process, and send it `sent` as it asks for the swap."""
    other = folder / "other-release"
    other.mkdir()
    for path in [*LAYOUT.release_files(other), other / VOID_NAME]:
        path.write_text("<https://w3id.org/rcpgraph/id/x> a <https://w3id.org/rcpgraph/ontology#X> .\n")
    with socket.create_server(("127.0.0.1", 0)) as swap:
        update = f"http://127.0.0.1:{swap.getsockname()[1]}/update"
        command = [sys.executable, "-m", "rcpgraph", "push", "--release", str(other)]
        command += ["--store", oxigraph.store, "--update", update]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_interruptible,
        )
        swap.settimeout(120)
        connection, _ = swap.accept()  # every staging PUT is done: the swap is the next request
        process.send_signal(sent)
        out, err = process.communicate(timeout=120)
        connection.close()
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _interruptible() -> None:
    """Let the push be interrupted as from a terminal: a pytest-xdist worker ignores SIGINT, which its children
    inherit, and Python installs its KeyboardInterrupt handler only where SIGINT is not ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_progress_on_a_terminal_only(oxigraph: stores.Endpoints, counts: dict[str, int]) -> None:
    terminal, stderr = pty.openpty()
    termios.tcsetwinsize(terminal, (24, 160))  # a new pseudo-terminal is 0 columns wide, where tqdm draws nothing
    command = [sys.executable, "-m", "rcpgraph", "push", *oxigraph.push_options()]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True) as process:
        os.close(stderr)
        shown = _drain(terminal)
        out = process.stdout.read() if process.stdout else ""
    assert (process.returncode, out) == (0, report(counts))
    for graph in counts:
        assert f"\rstaging <{graph}>:   0%|" in shown
    assert "\rswapping the release in: the store is working (Ctrl-C stops waiting)\r" in shown


def _drain(terminal: int) -> str:
    """Everything written to a pseudo-terminal until its last writer closes it."""
    chunks = []
    while True:
        try:
            chunk = os.read(terminal, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(terminal)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_a_killed_push_leaves_the_previous_data_answering(
    oxigraph: stores.Endpoints, counts: dict[str, int], embedded: Store, tmp_path: Path
) -> None:
    assert push(*oxigraph.push_options())[0] == 0
    assert interrupted_push(oxigraph, tmp_path, signal.SIGKILL).returncode == -signal.SIGKILL
    staging = {GRAPHS + f"staging/{name}": 1 for name in ("asserted", "inferred", "statistics")}
    staging[GRAPHS + "staging/ontology"] = counts[GRAPHS + "ontology"]
    assert stores.rcpgraph_graphs(oxigraph.query) == {**counts, **staging}
    remote = open_store([], remote=Remote(oxigraph.query, Credentials()))
    for name in QUERIES:
        assert _answer(remote, name) == _answer(embedded, name), name
    assert push(*oxigraph.push_options()) == (0, report(counts), "")
    assert stores.rcpgraph_graphs(oxigraph.query) == counts


@pytest.mark.slow
def test_an_interrupted_push_drops_its_staging_graphs(
    oxigraph: stores.Endpoints, counts: dict[str, int], tmp_path: Path
) -> None:
    assert push(*oxigraph.push_options())[0] == 0
    interrupted = interrupted_push(oxigraph, tmp_path, signal.SIGINT)
    assert (interrupted.returncode, interrupted.stderr) == (130, "rcpgraph: interrupted\n")
    assert (
        interrupted.stdout
        == f"staged 1 triples for <{GRAPHS}asserted>\nstaged 1 triples for <{GRAPHS}inferred>\n"
        + f"staged {counts[GRAPHS + 'ontology']} triples for <{GRAPHS}ontology>\n"
        + f"staged 1 triples for <{GRAPHS}statistics>\n"
    )
    assert stores.rcpgraph_graphs(oxigraph.query) == counts


@pytest.mark.slow
def test_a_refused_swap_drops_the_staging_graphs(oxigraph: stores.Endpoints, counts: dict[str, int]) -> None:
    assert push(*oxigraph.push_options())[0] == 0
    code, out, err = push("--store", oxigraph.store, "--update", oxigraph.query)
    assert code == 2
    assert out.startswith(f"staged {counts[GRAPHS + 'asserted']} triples for <{GRAPHS}asserted>\n")
    assert err.startswith(
        f"rcpgraph push: {oxigraph.query} does not accept the SPARQL update that swaps the release in"
    )
    assert err.endswith(UNCHANGED + "\n")
    assert stores.rcpgraph_graphs(oxigraph.query) == counts


@pytest.mark.slow
def test_a_swap_without_an_answer_is_undecided(oxigraph: stores.Endpoints, counts: dict[str, int]) -> None:
    assert push(*oxigraph.push_options())[0] == 0
    canary = Canary()
    code, out, err = push("--store", oxigraph.store, "--update", canary.url + "/update")
    assert canary.close() == 1
    assert (code, out) == (2, report(counts).split("swapped in")[0])
    assert err == (
        f"rcpgraph push: no answer from {canary.url}/update (the SPARQL update that swaps the release in): "
        "Remote end closed connection without response; the swap may or may not have happened: count the graphs, "
        "or push again\n"
    )
    staging = {GRAPHS + "staging/" + graph[len(GRAPHS) :]: n for graph, n in counts.items()}
    assert stores.rcpgraph_graphs(oxigraph.query) == {**counts, **staging}


@pytest.mark.slow
def test_a_store_that_refuses_the_graph_store_protocol(oxigraph: stores.Endpoints) -> None:
    code, out, err = push("--store", oxigraph.query, "--update", oxigraph.update)
    assert (code, out) == (2, "")
    put = f"a Graph Store Protocol PUT of {GRAPHS}staging/asserted"
    assert err.startswith(f"rcpgraph push: {oxigraph.query} does not accept {put} (HTTP 4")
    assert err.endswith(UNCHANGED + "\n")
    assert stores.rcpgraph_graphs(oxigraph.query) == {}


def test_an_unreachable_store() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, out, err = push("--store", url + "/store", "--update", url + "/update")
    put = f"a Graph Store Protocol DELETE of {GRAPHS}staging/asserted"
    assert (code, out) == (2, "")
    assert err == f"rcpgraph push: cannot reach {url}/store ({put}): Connection refused{UNCHANGED}\n"


NO_UPDATE = "give --update URL (the store's SPARQL Update endpoint), or --endpoint if it takes updates"
BAD_OPTIONS = {
    "store.example/store --update http://a/": "--store: not an http or https URL: store.example/store",
    "http://a/store": NO_UPDATE,
    "http://a:port/store --update http://a/": "--store: not a valid port in http://a:port/store",
    "http://u:secret@a/store --update http://a/": (
        "--store: give credentials with --auth or --token-env, not in the URL"
    ),
    "http://a/ --update http://a/ --auth secret": "--auth takes USER:PASSWORD",
    "http://a/ --update http://a/ --token-env RCPGRAPH_NO_SUCH": (
        "--token-env: the environment variable RCPGRAPH_NO_SUCH is not set"
    ),
    "http://a/ --update http://a/ --graph not-an-iri": "--graph: not an absolute IRI (or default): not-an-iri",
}


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS.items())
def test_bad_options(options: str, message: str) -> None:
    assert push("--store", *options.split()) == (2, "", f"rcpgraph push: {message}\n")


@pytest.mark.slow
def test_a_bearer_token_never_appears_in_the_report(
    oxigraph: stores.Endpoints, counts: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RCPGRAPH_TEST_TOKEN", "token-never-printed")
    code, out, err = push(*oxigraph.push_options(), "--token-env", "RCPGRAPH_TEST_TOKEN")
    assert (code, out, err) == (0, report(counts), "")


@pytest.mark.slow
def test_wrong_credentials_on_virtuoso(tmp_path: Path, counts: dict[str, int]) -> None:
    with stores.virtuoso(tmp_path / "virtuoso") as virtuoso:
        assert push(*virtuoso.push_options())[0] == 0
        code, out, err = push("--store", virtuoso.store, "--update", virtuoso.update, "--auth", "dba:wrong-secret")
        delete = f"a Graph Store Protocol DELETE of {GRAPHS}staging/asserted"
        assert (code, out) == (2, "")
        refusal = f"refused {delete} (HTTP 401, check --auth or --token-env)"
        assert err == f"rcpgraph push: {virtuoso.store} {refusal}{UNCHANGED}\n"
        assert stores.rcpgraph_graphs(virtuoso.query) == counts
        # Virtuoso has no plain default graph to move the release into: refused, and nothing is left behind.
        code, out, err = push(*virtuoso.push_options(), "--graph", "default")
        total = counts[GRAPHS + "asserted"] + counts[GRAPHS + "inferred"] + counts[GRAPHS + "statistics"]
        assert (code, out) == (2, f"staged {total} triples for the default graph\n")
        refusal = f"{virtuoso.update} failed the SPARQL update that swaps the release in (HTTP 400): Virtuoso 37000"
        assert err.startswith(f"rcpgraph push: {refusal} Error SP031: SPARQL compiler: SPARQL 1.1 MOVE...DEFAULT")
        assert err.endswith(UNCHANGED + "\n")
        assert stores.rcpgraph_graphs(virtuoso.query) == counts
