"""Benchmark of `rcpgraph build` against the naive pipeline, side by side; not part of the test suite.

    python benchmarks/build.py [--runs 3]

Times, in this process and in turns (build, naive, build, naive, ...), `rcpgraph build` as the
command runs it (`pipeline.build.run` into a scratch folder: source, curation, graph, reasoning,
validation, description, release) and the naive pipeline on the same input: rdflib parses the
asserted graph of the release and the ontology, owlrl computes the full OWL 2 RL closure of them,
pySHACL validates the closure against the shapes (with the options rcpgraph gives it). Prints the
median wall and CPU time of every stage and of the whole, the ratio build / naive, and PASS or FAIL
for "the build takes at most half the time of the naive pipeline" (on the wall time). Exits 1 on a
FAIL.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # benchmark the checkout's code, installed or not

import owlrl  # noqa: E402
import pyshacl  # noqa: E402
import rdflib  # noqa: E402

from rcpgraph import paths  # noqa: E402
from rcpgraph.pipeline import build, dataset, graph, reasoning, release, validation  # noqa: E402

MAX_RATIO = 0.5
# The stages of `build.run`, each the function of its module that does it, timed where build.run calls it.
BUILD_STAGES = (
    ("source, curation, ontology", graph, "load_inputs"),
    ("asserted graph", graph, "asserted_graph"),
    ("reasoning", reasoning, "entailments"),
    ("validation", validation, "validate"),
    ("description", dataset, "description"),
    ("release files", release, "write"),
)

Times = dict[str, tuple[float, float]]  # stage: (wall s, CPU s)


def main(argv: Sequence[str] | None = None) -> int:
    """Run both pipelines `--runs` times in turn, print the medians, and PASS or FAIL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each pipeline (default 3)")
    args = parser.parse_args(argv)
    layout = paths.Layout(ROOT, is_checkout=True)
    print(f"# load average at the start: {os.getloadavg()[0]:.2f}; {args.runs} runs of each, in turns")
    built: list[Times] = []
    naive: list[Times] = []
    for _ in range(args.runs):
        built.append(_time_build(layout))
        naive.append(_time_naive(layout))
    build_total, naive_total = _report("rcpgraph build", built), _report("naive pipeline", naive)
    ratio, cpu_ratio = build_total[0] / naive_total[0], build_total[1] / naive_total[1]
    verdict = "PASS" if ratio <= MAX_RATIO else "FAIL"
    print(f"\nratio build / naive: {ratio:.2f} wall, {cpu_ratio:.2f} CPU")
    print(f"{verdict} build takes at most {MAX_RATIO:g} of the naive pipeline's time ({ratio:.2f})")
    return 0 if verdict == "PASS" else 1


def _time_build(layout: paths.Layout) -> Times:
    """One `build.run` into a scratch folder, its stages timed where it calls them."""
    times: Times = {}
    with contextlib.ExitStack() as stack:
        for name, module, function in BUILD_STAGES:
            stack.enter_context(_timing(times, name, module, function))
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        with _measured(times, "total"):
            build.run(layout, folder)
    return times


def _time_naive(layout: paths.Layout) -> Times:
    """One run of the naive pipeline: rdflib parse, owlrl full closure, pySHACL on the closure."""
    times: Times = {}
    with _measured(times, "total"):
        with _measured(times, "rdflib parse"):
            data = rdflib.Graph()
            data.parse(layout.release_dir / paths.RELEASE_NAME, format="turtle")
            ontology = rdflib.Graph().parse(layout.ontology_file, format="turtle")
            data += ontology
            shapes = rdflib.Graph().parse(layout.shapes_file, format="turtle")
        with _measured(times, "owlrl full closure"):
            owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(data)
        with _measured(times, "pySHACL"):
            pyshacl.validate(
                data,
                shacl_graph=shapes,
                ont_graph=ontology,
                advanced=True,
                inference="none",
                allow_warnings=True,
                allow_infos=True,
                meta_shacl=False,
                do_owl_imports=False,
            )
    return times


@contextlib.contextmanager
def _measured(times: Times, name: str) -> Iterator[None]:
    """Add the wall and CPU time of the block to `times[name]`."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    spent = (time.perf_counter() - wall, time.process_time() - cpu)
    before = times.get(name, (0.0, 0.0))
    times[name] = (before[0] + spent[0], before[1] + spent[1])


@contextlib.contextmanager
def _timing(times: Times, name: str, module: Any, function: str) -> Iterator[None]:
    """While the block runs, `module.function` adds its time to `times[name]`."""
    original: Callable[..., Any] = getattr(module, function)

    def timed(*args: Any, **kwargs: Any) -> Any:
        with _measured(times, name):
            return original(*args, **kwargs)

    setattr(module, function, timed)
    try:
        yield
    finally:
        setattr(module, function, original)


def _report(title: str, runs: list[Times]) -> tuple[float, float]:
    """Print the median wall and CPU seconds of every stage of `runs`; return those of the whole."""
    print(f"\n{title}")
    print(f"| {'stage':<28} | wall s | CPU s |")
    print(f"| {'-' * 28} | -----: | ----: |")
    for stage in runs[0]:
        wall = statistics.median(run[stage][0] for run in runs)
        cpu = statistics.median(run[stage][1] for run in runs)
        print(f"| {stage:<28} | {wall:6.2f} | {cpu:5.2f} |")
    return statistics.median(run["total"][0] for run in runs), statistics.median(run["total"][1] for run in runs)


if __name__ == "__main__":
    sys.exit(main())
