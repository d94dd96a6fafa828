"""Benchmarks of the stored queries and the command line; not part of the test suite.

    python benchmarks/run.py [--scale 100] [--runs 9] [--rdflib-runs 3] [--cli-runs 5]

Prints, for every stored query, the median latency on the default engine (pyoxigraph in memory,
through `rcpgraph.sparql.store` as `rcpgraph query` runs it, but in this process, without the child
process of the time limit) and on rdflib in memory (`rdflib.Graph.query` on the query text, as a
program using rdflib alone would run it), their ratio, and the median on a synthetic graph
`--scale` times the release (see synthetic.py); then the wall time of `rcpgraph --help` and of a
cold `rcpgraph query groups`, and one PASS or FAIL line per target. The "engine" columns time
pyoxigraph alone on the same query text (no safety screen, no conversion of the answer); the
"rdflib engine" column is `rcpgraph query --engine rdflib` in this process, whose parse of a query
is kept after its first run. Every query is bound with its defaults, so a paged listing answers its
first page (100 rows); the "all rows" column times pyoxigraph alone on the whole listing (`limit=all`).
The queries read the release's statistics (void.ttl) as `rcpgraph query` does, and the synthetic
graph's statistics are written as the build would write them. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # benchmark the checkout's code, installed or not

import pyoxigraph  # noqa: E402
import rdflib  # noqa: E402
import rdflib.query  # noqa: E402
import synthetic  # noqa: E402

from rcpgraph.paths import query_files  # noqa: E402
from rcpgraph.sparql.catalogue import StoredQuery, bind, catalogue, whole  # noqa: E402
from rcpgraph.sparql.results import text_table  # noqa: E402
from rcpgraph.sparql.store import Store, open_store  # noqa: E402

RELEASE = tuple(query_files(ROOT / "data" / "release"))  # the asserted and inferred graphs, and void.ttl
GRAPHS = RELEASE[:2]  # what the synthetic graph copies; its statistics are computed for it
# Values for the required parameters that have no default (as in tests/test_stored_queries.py).
REQUIRED = {
    "cell": {"process": "sacm", "dimension": "founding-documents"},
    "status-by-dimension": {"dimension": "gfmd-link", "status": "no-response-given"},
}
MIN_RATIO = 20.0
HELP_LIMIT = 0.2  # seconds
COLD_QUERY_LIMIT = 0.5  # seconds
SCALED_LIMIT = 0.1  # seconds
COLD_QUERY = "groups"
BUDGET = 2.0  # seconds: a measurement stops repeating once its runs took this long
COUNTS = ("class-counts", "status-counts")  # answered from the statistics
# The least pyoxigraph does for `class-counts` on a graph: reading every rdf:type triple once.
TYPE_SCAN = "SELECT (COUNT(*) AS ?n) WHERE { ?instance a ?class }"

Timings = dict[str, tuple[float, ...]]


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement, print the table and the targets; 1 if a target is missed."""
    parser = argparse.ArgumentParser(description="Benchmark the stored queries and the command line.")
    parser.add_argument("--scale", type=int, default=100, help="size of the synthetic graph, in releases (100)")
    parser.add_argument("--runs", type=int, default=9, help="repetitions per query on pyoxigraph (9)")
    parser.add_argument("--rdflib-runs", type=int, default=3, help="repetitions per query on rdflib (3)")
    parser.add_argument("--cli-runs", type=int, default=5, help="repetitions of each command (5)")
    args = parser.parse_args(argv)

    queries = catalogue(ROOT / "queries")
    store = open_store(RELEASE, "oxigraph")
    individuals = list(store.individuals())
    texts = {name: bind(query, REQUIRED.get(name, {}), individuals) for name, query in queries.items()}
    wholes = {
        name: bind(query, {**REQUIRED.get(name, {}), **whole(query)}, individuals) for name, query in queries.items()
    }
    release = _release(queries, texts, store, args.runs, args.rdflib_runs)
    with tempfile.TemporaryDirectory() as folder:
        scaled_file = Path(folder) / f"rcpgraph-x{args.scale}.nt"  # N-Triples, which Turtle parsers read
        triples = synthetic.write(GRAPHS, args.scale, scaled_file)
        synthetic.statistics(scaled_file, Path(folder) / "void.ttl")
        scaled, type_scan = _scaled(queries, texts, wholes, [scaled_file, Path(folder) / "void.ttl"], args.runs)
    commands = (
        _median(lambda: _command("--help"), args.cli_runs),
        _median(lambda: _command("query", COLD_QUERY), args.cli_runs),
    )

    print(f"synthetic graph: x{args.scale} the release, {triples} triples\n")
    print(_table(release, scaled, args.scale))
    print(f"rcpgraph --help: {commands[0]:.3f} s; cold rcpgraph query {COLD_QUERY}: {commands[1]:.3f} s\n")
    targets = _targets(release, scaled, commands, args.scale, _kinds(queries))
    for passed, target in targets:
        print(f"{'PASS' if passed else 'FAIL'}  {target}")
    print(_engine_note(release, scaled, args.scale))
    print(_floor_note(scaled, type_scan, args.scale))
    return 0 if all(passed for passed, _ in targets) else 1


def _release(
    queries: Mapping[str, StoredQuery], texts: Mapping[str, str], store: Store, runs: int, rdflib_runs: int
) -> Timings:
    """Per query on the release: pyoxigraph via the store API, pyoxigraph alone, rdflib alone, the rdflib engine."""
    engine, raw, graph = open_store(RELEASE, "rdflib"), _raw_store(RELEASE), _rdflib_graph(RELEASE)
    for warm in (store, engine):  # the first query imports and builds rdflib's SPARQL parser: not timed
        warm.query("ASK { ?s ?p ?o }")
    return {
        name: (
            _median(partial(_run, store, query, texts[name]), runs),
            _median(partial(_raw_run, raw, texts[name]), runs),
            _median(partial(_rdflib_run, graph, texts[name]), rdflib_runs),
            _median(partial(_run, engine, query, texts[name]), rdflib_runs),
        )
        for name, query in queries.items()
    }


def _scaled(
    queries: Mapping[str, StoredQuery],
    texts: Mapping[str, str],
    wholes: Mapping[str, str],
    files: list[Path],
    runs: int,
) -> tuple[Timings, float]:
    """Per query on the synthetic graph: (pyoxigraph through the store API, pyoxigraph alone, pyoxigraph alone on
    every row); and the time of TYPE_SCAN on it."""
    store, raw = open_store(files, "oxigraph"), _raw_store(files)
    timings: Timings = {
        name: (
            _median(partial(_run, store, query, texts[name]), runs),
            _median(partial(_raw_run, raw, texts[name]), runs),
            _median(partial(_raw_run, raw, wholes[name]), runs),
        )
        for name, query in queries.items()
    }
    return timings, _median(partial(_raw_run, raw, TYPE_SCAN), runs)


def _kinds(queries: Mapping[str, StoredQuery]) -> dict[str, list[str]]:
    """The queries by what the x100 targets ask of them: the paged listings, the counts, those that select by a
    parameter (one bound by default or by REQUIRED), and the others (unpaged, selecting nothing)."""
    kinds: dict[str, list[str]] = {"listings": [], "counts": [], "selecting": [], "others": []}
    for name, query in queries.items():
        bound = any(p.default is not None or p.name in REQUIRED.get(name, {}) for p in query.parameters)
        kind = "listings" if query.page else "counts" if name in COUNTS else "selecting" if bound else "others"
        kinds[kind].append(name)
    return kinds


def _table(release: Timings, scaled: Timings, scale: int) -> str:
    """The latencies as a text table, one row per query."""
    headers = ["query", "pyoxigraph ms", "engine ms", "rdflib ms", "ratio", "engine ratio", "rdflib engine ms"]
    headers += [f"x{scale} ms", f"x{scale} engine ms", f"x{scale} all rows ms"]
    rows = [
        [name, *map(_ms, (ox, engine, rl)), f"{rl / ox:.0f}", f"{rl / engine:.0f}", _ms(ours), *map(_ms, scaled[name])]
        for name, (ox, engine, rl, ours) in release.items()
    ]
    return text_table(headers, rows)


def _targets(
    release: Timings, scaled: Timings, commands: tuple[float, float], scale: int, kinds: Mapping[str, list[str]]
) -> list[tuple[bool, str]]:
    """Each target: whether it is met, and what it is with the figure that decides it."""
    ratios = {name: rl / ox for name, (ox, _, rl, _) in release.items()}
    reached = sum(ratio >= MIN_RATIO for ratio in ratios.values())
    lowest = min(ratios, key=ratios.__getitem__)
    help_time, cold_time = commands
    return [
        (
            ratios[lowest] >= MIN_RATIO,
            f"every stored query at least {MIN_RATIO:g}x faster on pyoxigraph than on rdflib "
            f"(lowest: {ratios[lowest]:.1f}x, {lowest}; {reached} of {len(ratios)} reach it)",
        ),
        (help_time < HELP_LIMIT, f"rcpgraph --help under {HELP_LIMIT:g} s ({help_time:.3f} s)"),
        (
            cold_time < COLD_QUERY_LIMIT,
            f"cold rcpgraph query {COLD_QUERY} under {COLD_QUERY_LIMIT:g} s ({cold_time:.3f} s)",
        ),
        _scaled_target(scaled, kinds["selecting"], "every query that selects by a parameter", scale),
        _scaled_target(scaled, kinds["counts"], "the counts (from the statistics)", scale),
        _scaled_target(scaled, kinds["listings"], "a page (100 rows) of every paged listing", scale),
        _scaled_target(scaled, kinds["others"], "the other queries (not paged, selecting nothing)", scale),
    ]


def _scaled_target(scaled: Timings, names: list[str], what: str, scale: int) -> tuple[bool, str]:
    """Whether every query of `names` answers under SCALED_LIMIT on the synthetic graph, through the store API."""
    slowest = max(names, key=lambda name: scaled[name][0])
    over = [name for name in names if scaled[name][0] > SCALED_LIMIT]
    return (
        not over,
        f"{what} under {SCALED_LIMIT * 1000:g} ms on the x{scale} graph (slowest: {_ms(scaled[slowest][0])} ms, "
        f"{slowest}; {len(over)} of {len(names)} over{': ' + ', '.join(over) if over else ''})",
    )


def _engine_note(release: Timings, scaled: Timings, scale: int) -> str:
    """The first and last targets measured on pyoxigraph alone, to show what the store API adds."""
    ratios = [rl / engine for _, engine, rl, _ in release.values()]
    over = sum(engine > SCALED_LIMIT for _, engine, _ in scaled.values())
    return (
        f"INFO  pyoxigraph alone (no safety screen, no conversion of the answer): lowest ratio {min(ratios):.0f}x, "
        f"{sum(r >= MIN_RATIO for r in ratios)} of {len(ratios)} at least {MIN_RATIO:g}x; "
        f"{over} over {SCALED_LIMIT * 1000:g} ms on the x{scale} graph"
    )


def _floor_note(scaled: Timings, type_scan: float, scale: int) -> str:
    """The listings whose every row is over the limit, and what counting the classes from the graph would cost."""
    over = sorted(name for name, (_, _, everything) in scaled.items() if everything > SCALED_LIMIT)
    return (
        f"INFO  pyoxigraph alone on every row (limit=all): {len(over)} over {SCALED_LIMIT * 1000:g} ms on the "
        f"x{scale} graph ({', '.join(over) or 'none'}); reading its rdf:type triples alone (what class-counts "
        f"would cost counted from the graph) takes {_ms(type_scan)} ms"
    )


def _run(store: Store, query: StoredQuery, sparql: str) -> None:
    """Answer one query through the store API, in this process, with no cap on rows."""
    store.query(sparql, source=query.path, max_rows=None)


def _raw_store(files: Sequence[Path]) -> pyoxigraph.Store:
    """The files in a bare pyoxigraph store, to time the engine alone."""
    store = pyoxigraph.Store()
    for path in files:
        store.load(path=path, format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _rdflib_graph(files: Sequence[Path]) -> rdflib.Graph:
    """The files in an rdflib Graph, to time rdflib alone."""
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def _rdflib_run(graph: rdflib.Graph, sparql: str) -> None:
    """Compute every solution or triple of `sparql`'s answer from rdflib alone."""
    for _ in graph.query(sparql):
        pass


def _raw_run(store: pyoxigraph.Store, sparql: str) -> None:
    """Compute every solution or triple of `sparql`'s answer from pyoxigraph alone."""
    answer = store.query(sparql)
    if not isinstance(answer, pyoxigraph.QueryBoolean):
        for _ in answer:
            pass


def _command(*argv: str) -> None:
    """Run `rcpgraph ARGV` in a new Python process, on the checkout's code."""
    path = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "rcpgraph", *argv]
    subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": path}, check=True, capture_output=True)


def _median(action: Callable[[], object], runs: int) -> float:
    """The median wall time in seconds of `runs` calls of `action`, or of fewer (at least one) past BUDGET seconds."""
    times: list[float] = []
    while not times or (len(times) < runs and sum(times) < BUDGET):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _ms(seconds: float) -> str:
    """Seconds as milliseconds, one decimal."""
    return f"{seconds * 1000:.1f}"


if __name__ == "__main__":
    sys.exit(main())
