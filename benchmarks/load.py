"""Load on `rcpgraph serve`: concurrent clients against the stored-query API, then against /sparql.

    python benchmarks/load.py [--clients 16] [--duration 30] [--url http://127.0.0.1:8000 | --source DIR] [--runaway]
                              [--against-oxigraph]

Without --url it starts `rcpgraph serve` on a free loopback port and stops it at the end: this
checkout's code, or with --source that of another tree (such as `git archive main | tar -x -C DIR`),
to compare the two side by side. With --runaway, one more client keeps a query that runs until the
service's time limit (a count over a five-fold cartesian product) in flight through both phases; its
answers (503 at the limit) are counted apart, not as errors. At the end it prints the service's
/api/health, where the service has one. Each client
keeps one HTTP/1.1 connection and sends its next request as soon as the last is answered, for
--duration seconds per phase. The stored-query phase cycles through every stored query that needs no
parameter and the `cell` query of each of the 96 cells; the /sparql phase through a few SELECT queries.
Each phase starts with a warm-up that sends each of its requests once (the service keeps answers, so
this is its cold start, reported apart). It prints, per phase, the warm-up's time and slowest request,
then the requests, errors, throughput and the median and 99th-percentile latency of the timed run,
and exits 1 if the stored-query phase misses its target: no error, and a 99th percentile under 100 ms.
Requests go to loopback only, and stop by themselves.

With --against-oxigraph a third phase compares the service with Oxigraph server (the `oxigraph` binary of
the PyPI package, loaded with the release files by `oxigraph load`, read-only), measured in turns
in the same run: each gets --duration seconds of distinct SPARQL queries (`distinct_queries`:
the stored queries, with the `cell` query of every cell, each sent with its own LIMIT, so that no
answer is ever asked twice and the service's cache never answers), the service at /sparql and
Oxigraph server at /query, after a warm-up sending each text once to each, in TURNS alternating turns of
--duration / TURNS seconds (the machine's load from elsewhere changes from minute to minute; alternating meets
both servers with the same). It prints both lines and the ratio of throughputs (target: at least 1/3). Both load
the same files: the release, its inferred graph and its statistics (void.ttl). --only-distinct runs this phase alone.

With --scale N (N > 1) both serve synthetic.py's graph N times the release (as rcpgraph.ttl, with an empty
rcpgraph-inferred.ttl, since the synthetic graph holds both, and its statistics as the build writes them), written
to a temporary folder, or to --release-dir, where a later run with the same N finds it and skips the writing.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
TARGET_P99_MS = 100.0
TARGET_RATIO = 1 / 3  # the service's throughput on distinct queries against Oxigraph server's
ID = "https://w3id.org/rcpgraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DISTINCT_LIMIT = 100_000  # the first LIMIT a distinct query gets (each next one is one more): above any answer
TURNS = 4  # the distinct-query phase alternates between the two servers this many times
QUERIED = ("rcpgraph.ttl", "rcpgraph-inferred.ttl", "void.ttl")  # the release files a query reads
START_SECONDS = 600  # the longest a service may take to load the release and answer (minutes at 100 times)
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"  # CONSTRUCT queries answer in Turtle
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
RCP = "PREFIX rcp: <https://w3id.org/rcpgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
SPARQL = (
    RCP + "SELECT ?p ?label WHERE { ?p a rcp:RegionalConsultativeProcess ; skos:prefLabel ?label } ORDER BY ?label",
    RCP + "SELECT ?r ?status WHERE { ?r rcp:respondent ?p ; rcp:responseStatus ?status }",
    RCP + "SELECT ?status (COUNT(?r) AS ?n) WHERE { ?r rcp:responseStatus ?status } GROUP BY ?status",
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    "ASK { <https://w3id.org/rcpgraph/id/process/midsa> ?p ?o }",
)


@dataclass
class Phase:
    """What the clients of one phase measured."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, ok: bool) -> None:
        """Keep one request's latency, counting it as an error unless it succeeded."""
        with self.lock:
            self.latencies.append(seconds)
            self.errors += not ok

    def report(self, duration: float) -> str:
        """Requests, errors, throughput, median and 99th percentile, on one line."""
        median = statistics.median(self.latencies) * 1000 if self.latencies else float("nan")
        return (
            f"{self.name}: {len(self.latencies)} requests, {self.errors} errors, "
            f"{len(self.latencies) / duration:.0f} req/s, median {median:.1f} ms, p99 {self.p99_ms():.1f} ms"
        )

    def p99_ms(self) -> float:
        """The 99th-percentile latency in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("inf")


def stored_paths() -> list[str]:
    """Stored-query requests: every query without required parameters, and each cell of the table."""
    sys.path.insert(0, str(ROOT / "src"))
    from rcpgraph.sparql.catalogue import catalogue

    queries = catalogue(ROOT / "queries")
    free = [f"/api/queries/{name}" for name, q in queries.items() if not any(p.required for p in q.parameters)]
    cells = [f"/api/queries/cell?process={p}&dimension={d}" for p, d in _cells()]
    return free + cells


def sparql_paths() -> list[str]:
    """/sparql requests, one per query."""
    return [f"/sparql?query={quote(query)}" for query in SPARQL]


def distinct_queries() -> list[str]:
    """SELECT and CONSTRUCT texts without a LIMIT of their own: every stored query that needs no parameter (defaults
    bound), and the `cell` query of each cell, as a SPARQL client sends them (without the catalogue's `#+` header)."""
    sys.path.insert(0, str(ROOT / "src"))
    from rcpgraph.sparql.catalogue import bind, catalogue

    queries = catalogue(ROOT / "queries")
    texts = [bind(q, {}) for q in queries.values() if not any(p.required for p in q.parameters)]
    texts += [
        bind(queries["cell"], {"process": ID + "process/" + p, "dimension": ID + "dimension/" + d}) for p, d in _cells()
    ]
    plain = ["\n".join(line for line in text.splitlines() if not line.startswith("#+")) for text in texts]
    return [text for text in plain if "LIMIT" not in text.upper() and not text.lstrip().upper().startswith("ASK")]


class DistinctPaths:
    """The requests of one client: request i sends text i (in turn) with LIMIT DISTINCT_LIMIT + its number, which
    no other request of any client has (client `start` of `step` numbers its requests start, start + step, ...)."""

    def __init__(self, route: str, texts: list[str], start: int, step: int) -> None:
        self._quoted = [f"{route}?query={quote(text)}" for text in texts]
        self._start, self._step = start, step

    def __len__(self) -> int:
        return 1 << 40

    def __getitem__(self, index: int) -> str:
        number = self._start + index * self._step
        return self._quoted[number % len(self._quoted)] + quote(f"\nLIMIT {DISTINCT_LIMIT + number}")


def _cells() -> list[tuple[str, str]]:
    """Every (process, dimension) pair of the table: the survey responses of the release (`id/response/P/D`)."""
    import pyoxigraph

    release = ROOT / "data" / "release" / "rcpgraph.ttl"
    kind = pyoxigraph.NamedNode("https://w3id.org/rcpgraph/ontology#SurveyResponse")
    responses = (
        triple.subject.value
        for triple in pyoxigraph.parse(path=release, format=pyoxigraph.RdfFormat.TURTLE)
        if triple.predicate == pyoxigraph.NamedNode(RDF_TYPE) and triple.object == kind
    )
    pairs = (iri[len(ID + "response/") :].split("/", 1) for iri in responses)
    return sorted((process, dimension) for process, dimension in pairs)


def client(base: str, paths: Sequence[str], offset: int, deadline: float, phase: Phase, once: bool = False) -> None:
    """One client: requests in turn on one keep-alive connection until the deadline (or each path `once`)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    index = offset
    while (index < len(paths)) if once else (time.monotonic() < deadline):
        path = paths[index % len(paths)]
        index += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": ACCEPT})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
            ok = False
        phase.record(time.perf_counter() - started, ok)
    connection.close()


def runaway(base: str, stop: threading.Event, statuses: dict[int, int]) -> None:
    """Keep one runaway query in flight until `stop` is set, counting its answers by status (0: no answer)."""
    parts = urlsplit(base)
    while not stop.is_set():
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
        try:
            connection.request("GET", f"/sparql?query={quote(RUNAWAY)}", headers={"Accept": ACCEPT})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
        finally:
            connection.close()
        statuses[status] = statuses.get(status, 0) + 1


def health(base: str) -> str:
    """The service's /api/health, or a note that it has none."""
    try:
        with urllib.request.urlopen(base + "/api/health", timeout=10) as response:
            return response.read().decode("utf-8").strip()
    except OSError as error:
        return f"no /api/health ({error})"


def run_phase(name: str, base: str, paths: list[str], clients: int, duration: float) -> Phase:
    """A warm-up sending each request once, then `clients` concurrent clients for `duration` seconds."""
    warm = Phase(name + ", warm-up")
    started = time.monotonic()
    _together(clients, lambda number: client(base, paths[number::clients], 0, 1, warm, once=True))
    print(
        f"{warm.name}: {len(warm.latencies)} requests, {warm.errors} errors, {time.monotonic() - started:.1f} s, "
        f"slowest {max(warm.latencies, default=0) * 1000:.0f} ms"
    )
    phase = Phase(name)
    deadline = time.monotonic() + duration
    _together(clients, lambda number: client(base, paths, number * 7, deadline, phase))
    return phase


def run_distinct(
    phase: Phase, base: str, route: str, texts: list[str], clients: int, duration: float, turn: int
) -> None:
    """`clients` concurrent clients for `duration` seconds, each sending its own share of `texts` to `route`, in the
    `turn`-th of TURNS (so that no text is sent twice with the same LIMIT in any turn)."""
    deadline = time.monotonic() + duration
    step = clients * TURNS

    def share(number: int) -> DistinctPaths:
        return DistinctPaths(route, texts, turn * clients + number, step)

    _together(clients, lambda number: client(base, share(number), 0, deadline, phase))


def warm_distinct(base: str, route: str, texts: list[str], clients: int) -> None:
    """Each of `texts` sent to `route` once, with a LIMIT below those of the timed requests (not counted)."""
    below = DistinctPaths(route, texts, -len(texts), 1)
    paths = [below[index] for index in range(len(texts))]
    _together(clients, lambda number: client(base, paths[number::clients], 0, 1, Phase("warm-up"), once=True))


def against_oxigraph(base: str, release: Path, clients: int, duration: float) -> float:
    """The distinct-query phase on the service at `base` and on Oxigraph server over the same `release`, in TURNS
    alternating turns (so that both meet the same load from the rest of the machine); the ratio of their
    throughputs."""
    texts = distinct_queries()
    served = Phase("distinct SPARQL, rcpgraph serve (/sparql)")
    native = Phase("distinct SPARQL, Oxigraph server (/query)")
    with tempfile.TemporaryDirectory() as folder:
        process, oxigraph = start_oxigraph(Path(folder), release)
        try:
            warm_distinct(base, "/sparql", texts, clients)
            warm_distinct(oxigraph, "/query", texts, clients)
            for turn in range(TURNS):
                run_distinct(served, base, "/sparql", texts, clients, duration / TURNS, turn)
                run_distinct(native, oxigraph, "/query", texts, clients, duration / TURNS, turn)
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(served.report(duration))
    print(native.report(duration))
    ratio = len(served.latencies) / max(len(native.latencies), 1)
    errors = served.errors + native.errors
    print(f"throughput of rcpgraph serve / Oxigraph server: {ratio:.2f} (target {TARGET_RATIO:.2f}; {errors} errors)")
    return ratio if errors == 0 else 0.0


def start_oxigraph(folder: Path, release: Path) -> tuple[subprocess.Popen, str]:
    """Oxigraph server, read-only, on a free loopback port, over the files of the `release` folder that the service
    queries, loaded into `folder`."""
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.is_file():
        raise SystemExit("--against-oxigraph needs Oxigraph server (pip install oxigraph)")
    files = [release / name for name in QUERIED]
    load = [str(binary), "load", "--location", str(folder), "--file", *map(str, files)]
    subprocess.run(load, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = _free_port()
    command = [str(binary), "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + "/query?query=ASK%7B%7D", process, "Oxigraph server")
    return process, base


def _free_port() -> int:
    """A free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scaled_release(scale: int, folder: Path) -> Path:
    """`folder`, holding synthetic.py's graph `scale` times the release as a release (written unless it is there)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import synthetic

    done = folder / f"x{scale}"
    if not done.is_file():
        started = time.monotonic()
        folder.mkdir(parents=True, exist_ok=True)
        graphs = [ROOT / "data" / "release" / name for name in QUERIED[:2]]
        triples = synthetic.write(graphs, scale, folder / QUERIED[0])
        (folder / QUERIED[1]).write_bytes(b"")
        synthetic.statistics(folder / QUERIED[0], folder / QUERIED[2])
        done.write_text(f"{triples}\n", encoding="utf-8")
        print(f"x{scale} release written to {folder} in {time.monotonic() - started:.0f} s")
    print(f"x{scale} release: {done.read_text(encoding='utf-8').strip()} triples, in {folder}")
    return folder


def _wait_for(url: str, process: subprocess.Popen, what: str) -> None:
    """Return once `url` answers; stop `process` and exit if it does not within START_SECONDS."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{what} did not start within {START_SECONDS} s")


def _together(clients: int, work: Callable[[int], None]) -> None:
    """Run `work(number)` for each client number in its own thread, and wait for all."""
    threads = [threading.Thread(target=work, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def start_server(tree: Path, release: Path) -> tuple[subprocess.Popen, str]:
    """`rcpgraph serve` from the checkout `tree` over the `release` folder on a free loopback port, once it answers."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    command = [sys.executable, "-m", "rcpgraph", "serve", "--port", str(port), "--release", str(release)]
    process = subprocess.Popen(command, cwd=tree, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    _wait_for(base + "/api/queries", process, "rcpgraph serve")
    return process, base


def stop_server(process: subprocess.Popen) -> None:
    """Stop the service, then whatever it started and left (a query's process): its whole process group."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # still waiting for a runaway query to end
        process.kill()
        process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    """Run the phases asked for and print their figures."""
    args = _arguments()
    with tempfile.TemporaryDirectory() as folder:
        release = ROOT / "data" / "release"
        if args.scale > 1:
            release = scaled_release(args.scale, args.release_dir or Path(folder))
        return _measure(args, release)


def _arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per phase (default 30)")
    parser.add_argument("--url", help="a running service on loopback (default: start one)")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout whose service to start (default: this)")
    parser.add_argument("--runaway", action="store_true", help="keep a query that runs to the time limit in flight")
    parser.add_argument(
        "--against-oxigraph", action="store_true", help="compare with Oxigraph server on distinct SPARQL queries"
    )
    parser.add_argument("--only-distinct", action="store_true", help="run the comparison with Oxigraph server alone")
    parser.add_argument("--scale", type=int, default=1, help="serve synthetic.py's graph N times the release (1)")
    parser.add_argument("--release-dir", type=Path, help="where to keep the graph of --scale for later runs")
    args = parser.parse_args()
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("load is sent to loopback only")
    if args.url and args.scale > 1:
        raise SystemExit("--scale starts its own service: leave out --url")
    args.against_oxigraph = args.against_oxigraph or args.only_distinct
    return args


def _measure(args: argparse.Namespace, release: Path) -> int:
    """Start the service over `release` (unless --url names one), run the phases, stop it; 1 if a target is missed."""
    process, base = (None, args.url.rstrip("/")) if args.url else start_server(args.source.resolve(), release)
    stop, statuses = threading.Event(), dict[int, int]()
    spoiler = threading.Thread(target=runaway, args=(base, stop, statuses), daemon=True)
    met = True
    try:
        print(f"{args.clients} clients, {args.duration:g} s per phase, against {base} ({args.source}, {release})")
        print(f"load average: {_load_average()}")
        if not args.only_distinct:
            if args.runaway:
                spoiler.start()
            stored = run_phase("stored queries (/api/queries)", base, stored_paths(), args.clients, args.duration)
            print(stored.report(args.duration))
            sparql = run_phase("SPARQL (/sparql)", base, sparql_paths(), args.clients, args.duration)
            print(sparql.report(args.duration))
            stop.set()
            if args.runaway:
                print(f"runaway queries answered, by status: {dict(sorted(statuses.items()))}")
            met = stored.errors == 0 and stored.p99_ms() < TARGET_P99_MS
            print(f"target (stored queries: no error, p99 under {TARGET_P99_MS:g} ms): {'met' if met else 'missed'}")
        if args.against_oxigraph:
            ratio = against_oxigraph(base, release, args.clients, args.duration)
            print(
                f"target (distinct queries: at least {TARGET_RATIO:.2f} of Oxigraph server's throughput): "
                f"{'met' if ratio >= TARGET_RATIO else 'missed'}"
            )
            met = met and ratio >= TARGET_RATIO
        print(f"health: {health(base)}")
        print(f"load average: {_load_average()}")
    finally:
        stop.set()
        if process is not None:
            stop_server(process)
    return 0 if met else 1


def _load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes."""
    return ", ".join(f"{load:.1f}" for load in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
