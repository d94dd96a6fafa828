"""The build at size: each stage's time and peak memory at 1x, 3x, 10x, the growth exponent, and queries at 100x.

    python benchmarks/scale.py [--scales 1 3 10] [--query-scale 100] [--runs 3] [--reasoner owlrl|reasonable]
                               [--only-queries] [--stores embedded oxigraph virtuoso]

The build reads the source table and the curation files, which describe one table: to build at N
times the size, each size starts from the asserted graph of the release made N times as large by
synthetic.py (copy k renames every individual of the table, e.g. `process/sacm-copy-k`; the ontology and concepts are
shared), and runs the stages the build runs after the asserted graph, as `pipeline.build.run` calls
them: reading (the N-fold asserted graph parsed strictly, as `rcpgraph validate` reads a file),
reasoning, validation, description and writing (the release files into a scratch folder). The stages
before (source, curation, the asserted graph) read one table at any size; their time at 1x is
printed beside. Each size runs in a child process of its own, so its peak memory (`ru_maxrss`, the
process's high-water mark after each stage) is its own. Prints the median wall and CPU time of each
stage over `--runs` runs (on a shared machine the CPU time is the steadier), the fitted growth
exponent of each (least squares of log time on log size), then the stored queries at `--query-scale`
side by side on the embedded store, Oxigraph server and Virtuoso (servers.py: each loaded with the
same N-fold graph and its statistics; the same bound text, the servers over HTTP through
`RemoteStore`; median and best of up to 9 runs, each answer's rows beside), and PASS or FAIL for: the build at
the largest size under 60 s, and every stage's exponent at most 1.1 (wall time). Exits 1 on a FAIL.
`--only-queries` measures the queries alone (no build, no targets), on the `--stores` named (all three by
default): `--only-queries --stores embedded` times every stored query at 100x in about two minutes.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # benchmark the checkout's code, installed or not

import run  # noqa: E402
import servers  # noqa: E402
import synthetic  # noqa: E402

from rcpgraph import paths, rdfio  # noqa: E402
from rcpgraph.pipeline import collector, dataset, graph, reasoners, reasoning, release, validation  # noqa: E402
from rcpgraph.sparql.catalogue import StoredQuery, bind, catalogue  # noqa: E402
from rcpgraph.sparql.remote import RemoteStore  # noqa: E402
from rcpgraph.sparql.results import text_table  # noqa: E402
from rcpgraph.sparql.store import Store, open_store  # noqa: E402
from rcpgraph.stores import push  # noqa: E402

ASSERTED = ROOT / "data" / "release" / "rcpgraph.ttl"
STAGES = ("reading", "reasoning", "validation", "description", "writing")
STORES = ("embedded", "oxigraph", "virtuoso")  # the servers: servers.py's
BUILD_LIMIT = 60.0  # seconds, at the largest size
MAX_EXPONENT = 1.1
RUNS = 9  # of each query on each store, within run.py's budget
T = TypeVar("T")

Measure = dict[str, tuple[float, float, float]]  # stage: (wall s, CPU s, peak MB of the process after it)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every size in a child process, then the queries at the query scale; print figures and targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 3, 10], help="sizes, in releases (1 3 10)")
    parser.add_argument("--query-scale", type=int, default=100, help="size for loading and queries (100; 0: none)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each size (3)")
    parser.add_argument("--reasoner", choices=tuple(reasoners.REASONERS), default=reasoners.DEFAULT, help="(owlrl)")
    parser.add_argument("--only-queries", action="store_true", help="measure the queries alone, not the build")
    parser.add_argument("--stores", choices=STORES, nargs="+", default=list(STORES), help="stores queried (all)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(_stages(args.child, args.reasoner)))
        return 0
    if args.only_queries:
        print(_queries(args.query_scale, args.stores))
        return 0
    front = _front()
    with tempfile.TemporaryDirectory() as folder:
        sizes = {scale: _size(scale, Path(folder), args.runs, args.reasoner) for scale in args.scales}
    print(_table(front, sizes))
    exponents = {stage: _exponent({scale: measure[stage][0] for scale, measure in sizes.items()}) for stage in STAGES}
    exponents["total"] = _exponent({scale: _total(measure) for scale, measure in sizes.items()})
    print("growth exponent: " + ", ".join(f"{stage} {value:.2f}" for stage, value in exponents.items()))
    cpu = {stage: _exponent({scale: measure[stage][1] for scale, measure in sizes.items()}) for stage in STAGES}
    cpu["total"] = _exponent({scale: _total(measure, 1) for scale, measure in sizes.items()})
    print("growth exponent, CPU: " + ", ".join(f"{stage} {value:.2f}" for stage, value in cpu.items()) + "\n")
    if args.query_scale:
        print(_queries(args.query_scale, args.stores))
    largest = max(sizes)
    targets = [
        (
            _total(sizes[largest]) <= BUILD_LIMIT,
            f"build at x{largest} under {BUILD_LIMIT:g} s ({_total(sizes[largest]):.1f} s)",
        ),
        *(
            (
                exponents[stage] <= MAX_EXPONENT,
                f"{stage} grows with exponent at most {MAX_EXPONENT:g} ({exponents[stage]:.2f})",
            )
            for stage in STAGES
        ),
    ]
    for passed, target in targets:
        print(f"{'PASS' if passed else 'FAIL'}  {target}")
    return 0 if all(passed for passed, _ in targets) else 1


def _front() -> dict[str, float]:
    """The wall time at 1x of the stages that read one table at any size."""
    layout = paths.Layout(ROOT, is_checkout=True)
    started = time.perf_counter()
    inputs = graph.load_inputs(layout)
    read = time.perf_counter()
    graph.asserted_graph(inputs)
    return {"source, curation, ontology": read - started, "asserted graph": time.perf_counter() - read}


def _size(scale: int, folder: Path, runs: int, reasoner: str) -> Measure:
    """The median of `runs` child processes at `scale`: each stage's wall and CPU time, and the largest peak memory."""
    file = folder / f"rcpgraph-x{scale}.nt"
    triples = synthetic.write([ASSERTED], scale, file)
    print(f"# x{scale}: {triples} asserted triples", file=sys.stderr)
    measures: list[Measure] = []
    for _ in range(runs):
        command = [sys.executable, __file__, "--child", str(file), "--reasoner", reasoner]
        answer = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        measures.append({stage: (wall, cpu, peak) for stage, (wall, cpu, peak) in json.loads(answer.stdout).items()})
    return {
        stage: (
            statistics.median(m[stage][0] for m in measures),
            statistics.median(m[stage][1] for m in measures),
            max(m[stage][2] for m in measures),
        )
        for stage in STAGES
    }


@collector.fewer_collections()  # as pipeline.build.run
def _stages(file: Path, reasoner: str) -> Measure:
    """In this process: the stages of the build after the asserted graph, on the graph in `file`, each timed."""
    close = reasoners.load(reasoner)
    layout = paths.Layout(ROOT, is_checkout=True)
    ontology = rdfio.parse_file(layout.ontology_file)
    shapes = validation.load_shapes(layout.shapes_file)
    measure: Measure = {}

    def timed(stage: str, action: Callable[[], T]) -> T:
        started, cpu = time.perf_counter(), time.process_time()
        value = action()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        measure[stage] = (wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return value

    asserted = timed("reading", lambda: rdfio.parse_file(file))
    inferred = timed("reasoning", lambda: reasoning.entailments(asserted, close))
    data = asserted + inferred
    report = timed("validation", lambda: validation.validate(data, shapes, ontology, layout.shapes_file, inplace=True))
    if not report.conforms:
        raise SystemExit(validation.format_report(report))
    description = timed(
        "description", lambda: dataset.description(asserted, inferred, dataset.facts_from_release(asserted))
    )
    with tempfile.TemporaryDirectory() as out:
        timed("writing", lambda: release.write(Path(out), asserted, inferred, description))
    return measure


def _total(measure: Measure, index: int = 0) -> float:
    """The wall time (or with `index` 1, the CPU time) of all the stages."""
    return sum(figures[index] for figures in measure.values())


def _exponent(times: dict[int, float]) -> float:
    """The slope of the least-squares line through (log size, log time)."""
    points = [(math.log(scale), math.log(seconds)) for scale, seconds in times.items()]
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread if spread else math.nan


def _table(front: dict[str, float], sizes: dict[int, Measure]) -> str:
    """The stages' median wall and CPU times and peak memory per size, as a text table."""
    headers = [
        "stage",
        *(f"x{scale} s" for scale in sizes),
        *(f"x{scale} CPU s" for scale in sizes),
        *(f"x{scale} peak MB" for scale in sizes),
    ]
    rows = [[stage, f"{seconds:.2f} (x1)", *[""] * (3 * len(sizes) - 1)] for stage, seconds in front.items()]
    for stage in STAGES:
        rows.append(
            [
                stage,
                *(f"{measure[stage][0]:.2f}" for measure in sizes.values()),
                *(f"{measure[stage][1]:.2f}" for measure in sizes.values()),
                *(f"{measure[stage][2]:.0f}" for measure in sizes.values()),
            ]
        )
    totals = [*(f"{_total(m):.2f}" for m in sizes.values()), *(f"{_total(m, 1):.2f}" for m in sizes.values())]
    rows.append(["total", *totals, *[""] * len(sizes)])
    return text_table(headers, rows)


def _queries(scale: int, stores: Sequence[str]) -> str:
    """The stored queries on the release `scale` times over (synthetic.py), on the `stores` (the embedded store,
    Oxigraph server, Virtuoso) side by side: the same bound text (the servers' with each `#page-keys` left a
    comment, as rcpgraph sends it to a remote store), the servers' answers over HTTP (`RemoteStore`)."""
    queries = catalogue(ROOT / "queries")
    individuals = list(open_store(run.RELEASE, "oxigraph").individuals())
    texts = {name: bind(query, run.REQUIRED.get(name, {}), individuals) for name, query in queries.items()}
    whole_keys = {  # as rcpgraph binds them for a remote store: each `#page-keys` left a comment
        name: bind(query, run.REQUIRED.get(name, {}), individuals, cut_keys=False) for name, query in queries.items()
    }
    with tempfile.TemporaryDirectory() as folder:
        file, void = Path(folder) / f"rcpgraph-x{scale}.nt", Path(folder) / "void.ttl"
        triples = synthetic.write(run.GRAPHS, scale, file)
        synthetic.statistics(file, void)
        graphs = [(file, push.ASSERTED), (void, push.STATISTICS)]
        loading: dict[str, float] = {}
        timings: dict[str, Answers] = {}
        if "embedded" in stores:
            started = time.perf_counter()
            embedded = open_store([file, void], "oxigraph")
            loading["embedded"] = time.perf_counter() - started
            timings["embedded"] = _timed(embedded, queries, texts)
        for store, name, server in (
            ("oxigraph", "Oxigraph server", servers.oxigraph),
            ("virtuoso", "Virtuoso", servers.virtuoso),
        ):
            if store not in stores:
                continue
            (Path(folder) / name).mkdir()
            with server(Path(folder) / name, graphs) as (remote, loading[name]):
                timings[name] = _timed(RemoteStore(remote), queries, whole_keys)
    return _stores_table(scale, triples, loading, timings)


Answers = dict[str, tuple[float, float, int]]  # query: (median ms, best ms, rows or triples)


def _timed(store: Store, queries: Mapping[str, StoredQuery], texts: Mapping[str, str]) -> Answers:
    """Each query's median and best wall time on `store` over run.py's runs, and the rows or triples it answers."""
    answers: Answers = {}
    for name, query in queries.items():
        result = store.query(texts[name], source=query.path, max_rows=None)
        size = len(result.cells) + len(result.triples)
        times = _times(functools.partial(run._run, store, query, texts[name]))
        answers[name] = (statistics.median(times) * 1000, min(times) * 1000, size)
    return answers


def _times(action: Callable[[], object]) -> list[float]:
    """The wall times in seconds of up to RUNS calls of `action`, fewer (at least one) past run.py's budget."""
    times: list[float] = []
    while not times or (len(times) < RUNS and sum(times) < run.BUDGET):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def _stores_table(scale: int, triples: int, loading: Mapping[str, float], timings: Mapping[str, Answers]) -> str:
    """The loading times, then one row per query with its time and answer size on each store."""
    header = f"x{scale}: {triples} triples; loaded in " + ", ".join(f"{s} {t:.1f} s" for s, t in loading.items())
    headers = [
        "query",
        *(f"{store} ms" for store in timings),
        *(f"{store} best ms" for store in timings),
        *(f"{store} rows" for store in timings),
    ]
    rows = [
        [
            name,
            *(f"{timings[store][name][0]:.1f}" for store in timings),
            *(f"{timings[store][name][1]:.1f}" for store in timings),
            *(str(timings[store][name][2]) for store in timings),
        ]
        for name in next(iter(timings.values()))
    ]
    return f"{header}\n{text_table(headers, rows)}\n"


if __name__ == "__main__":
    sys.exit(main())
