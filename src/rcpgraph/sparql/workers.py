"""A supervised pool of query workers: the limits of time and memory that really stop a query.

Neither engine can cancel a query, so queries run in worker processes the pool can kill. Workers are
long-lived, each a new interpreter (`python -c`, started as multiprocessing's "spawn" starts one, on
every platform, and never a fork of a possibly threaded caller; unlike spawn, it does not run the
caller's main script again, so a script needs no `if __name__ == "__main__"` guard). A worker talks
to its pool over `multiprocessing.connection` (a Unix socket or a Windows named pipe, with a secret
key), and loads the release once, into the pool's engine. A worker caps its
own address space at the pool's memory limit (`resource.RLIMIT_AS`, where the platform has it): a query
that needs more is refused with "the query needed more than N MB" and the worker is replaced. A query
past its time limit, or whose caller gives up (`cancelled`, set when an HTTP client disconnects), has its
worker killed and replaced. Everything a query costs past the caller's cheap safety gate (parsing, the
safety rules' rdflib parse, evaluation) runs in the worker, inside the time limit; the time a worker
takes to start and load the release does not count against a query. An asyncio caller (the service) leaves
the gate to the worker, which runs it anyway before any parser reads the query (`Store.written`), and refuses
alike: its event loop, which every request goes through, does not scan each query twice.

The command line uses a pool of one worker (`shared`: kept for the process, so several runs in one
process start one worker), the Python API one per `rcpgraph.open()`, the service one of `--workers`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rcpgraph.errors import InputError, RcpgraphError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from rcpgraph.sparql.remote import Remote
    from rcpgraph.sparql.store import Result, Store, Written

DEFAULT_WORKERS = 2  # the service's pool
DEFAULT_MEMORY_LIMIT_MB = 2048  # a worker's address space: the release loaded and a query's working memory
# A worker's program: this very rcpgraph (its folder is the argument, put on the path unless it is there already).
BOOTSTRAP = (
    "import sys; sys.argv[1] in sys.path or sys.path.insert(0, sys.argv[1]); "
    "from rcpgraph.sparql.workers import main; main()"
)
SHARED_POOLS = 4  # the pools `shared` keeps at once
_SHARED: dict[tuple[object, ...], Pool] = {}
_SHARED_LOCK = threading.Lock()
_POLL_SECONDS = 0.1  # how often a waiting caller looks whether its query was given up
_START_SECONDS = 120.0  # the longest a worker may take to start and load the release
_ORPHAN_SECONDS = 1.0  # how often a worker looks whether its pool's process is still there


class QueryTimeout(InputError):
    """A query stopped at its time limit (exit 2)."""


class MemoryLimit(InputError):
    """A query stopped at the memory limit (exit 2)."""


class QueryCancelled(InputError):
    """A query its caller gave up (an HTTP client that went away)."""


@dataclass(frozen=True)
class Health:
    """What the pool is doing: its size, the workers alive and busy, and how many were replaced."""

    size: int
    alive: int
    busy: int
    restarts: int
    memory_limit_mb: int | None


@dataclass
class _Job:
    """A query of an asyncio caller: the request for a worker, the caller's event loop, the (succeeded, value) answer
    to come, and the worker running it since `started` (the loop's clock), once it runs."""

    request: tuple[Any, ...]
    loop: asyncio.AbstractEventLoop
    answer: asyncio.Future[tuple[bool, Any]] = field(init=False)
    worker: _Worker | None = None
    started: float | None = None

    def __post_init__(self) -> None:
        self.answer = self.loop.create_future()


class _Worker:
    """One worker process and the parent's end of its connection (made when it is first used); the asyncio caller's
    query it runs, and the event loop that reads its answers meanwhile."""

    def __init__(self, process: subprocess.Popen[bytes], secret: bytes, memory_limit: int | None) -> None:
        self.process = process
        self._secret = secret
        self._memory_limit = memory_limit
        self._connection: Connection | None = None
        self.ready = False
        self.job: _Job | None = None
        self.reading: asyncio.AbstractEventLoop | None = None
        self.descriptor = -1  # of its connection, while `reading`

    @property
    def connection(self) -> Connection:
        """The connection to the worker, made once it says where it listens (an RcpgraphError if it ended first)."""
        if self._connection is None:
            from multiprocessing.connection import Client

            assert self.process.stdout is not None
            address = self.process.stdout.readline().decode("utf-8").strip()
            try:
                self._connection = Client(address, authkey=self._secret)
            except (OSError, EOFError, ValueError):  # no address: it ended before listening
                self.process.kill()
                raise self.unstarted() from None
        return self._connection

    def unstarted(self) -> RcpgraphError:
        """The error for a worker that ended before it had loaded the release."""
        code = self.process.wait()
        limit = self._memory_limit
        hint = f"; is its memory limit of {limit:,} MB enough to load the release?" if limit is not None else ""
        return RcpgraphError(f"the query worker stopped before it had loaded the release (exit code {code}){hint}")

    def alive(self) -> bool:
        """Whether the process is running."""
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the process and close the connection."""
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        if self._connection is not None:
            self._connection.close()


class Pool:
    """Up to `size` workers over the release `files` on `engine` (or over the `remote` store, asked over HTTP),
    started when first needed, each within `memory_limit` megabytes (None: no limit). With `warm`, each worker also
    sets up rdflib's query parser while it loads (the service's workers), so that the first query the safety rules
    parse with rdflib does not spend half a second of its time limit on it."""

    def __init__(
        self,
        files: Sequence[Path],
        *,
        engine: str = "oxigraph",
        size: int = 1,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT_MB,
        remote: Remote | None = None,
        warm: bool = False,
    ) -> None:
        from rcpgraph.sparql.store import known_engine

        self.files = tuple(files)
        self.engine = known_engine(engine)
        self.size = size
        self.memory_limit = memory_limit
        self.remote = remote
        self.warm = warm
        self.restarts = 0
        self._workers: list[_Worker] = []
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._jobs: collections.deque[_Job] = collections.deque()  # asyncio callers' queries waiting for a worker
        self._lock = threading.Lock()
        self._individuals: list[str] | None = None
        weakref.finalize(self, _stop_all, self._workers)

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_exception: object) -> None:
        self.close()

    def start(self) -> None:
        """Start every worker now rather than at first use, and connect to it, so that it loads the release meanwhile
        (a worker waits for its pool's connection before it loads; one that ended says why at first use)."""
        started = []
        with self._lock:
            while len(self._workers) < self.size:
                started.append(self._spawn())
                self._idle.put(started[-1])
        for worker in started:
            with contextlib.suppress(RcpgraphError):
                _ = worker.connection

    def close(self) -> None:
        """Stop every worker; the pool starts new ones if it is used again."""
        with self._lock:
            _stop_all(self._workers)
            self._idle = queue.SimpleQueue()

    def health(self) -> Health:
        """The pool's state now."""
        with self._lock:
            alive = sum(worker.alive() for worker in self._workers)
            busy = len(self._workers) - self._idle.qsize()
        return Health(self.size, alive, busy, self.restarts, self.memory_limit)

    def query(
        self,
        sparql: str,
        *,
        source: str | Path | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        cancelled: threading.Event | None = None,
    ) -> Result:
        """`Store.query` in a worker, stopped after `timeout` seconds (QueryTimeout), at the memory limit
        (MemoryLimit) or once `cancelled` is set (QueryCancelled); the cheap safety gate runs here first."""
        from rcpgraph.sparql.store import Result

        answer = self.written(sparql, {}, source=source, timeout=timeout, max_rows=max_rows, cancelled=cancelled)
        assert isinstance(answer, Result)  # no format named: the result itself
        return answer

    def written(
        self,
        sparql: str,
        formats: Mapping[str, str],
        *,
        source: str | Path | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        cancelled: threading.Event | None = None,
    ) -> Result | Written:
        """`query`, its answer written by the worker in the format `formats` names for its kind (select, ask or graph):
        only those bytes come back, and the caller only copies them; the Result if `formats` names none."""
        return self._ask(_screened(sparql, formats, source, max_rows), timeout, cancelled)

    async def awaited(
        self,
        sparql: str,
        formats: Mapping[str, str],
        *,
        source: str | Path | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        gone: Callable[[], Awaitable[bool]] | None = None,
    ) -> Result | Written:
        """`written` for an asyncio caller, in its event loop (no thread), the safety gate left to the worker: the
        query goes to the next idle worker straight from the callback that reads the previous answer of that worker,
        and is stopped (QueryCancelled) once `gone()`, asked every _POLL_SECONDS, says its caller went away."""
        job = _Job(_request(sparql, formats, source, max_rows), asyncio.get_running_loop())
        self._enqueue(job)
        succeeded, value = await self._finished(job, timeout, gone)
        if not succeeded:
            raise value
        return value

    def individuals(self) -> list[str]:
        """The IRIs of the release's subjects, sorted (asked of a worker once)."""
        if self._individuals is None:
            self._individuals = self._ask(("individuals",), None, None)
        return self._individuals

    def _ask(self, request: tuple[Any, ...], timeout: float | None, cancelled: threading.Event | None) -> Any:
        """Send `request` to an idle worker and give its answer; a worker that failed it is replaced."""
        worker = self._acquire(cancelled)
        try:
            try:
                worker.connection.send(request)
            except OSError:
                raise self._died(worker) from None
            succeeded, value = self._receive(worker, timeout, cancelled)
        except BaseException:
            self._replace(worker)
            raise
        return self._settled(worker, succeeded, value)

    def _settled(self, worker: _Worker, succeeded: bool, value: Any) -> Any:
        """The answer `worker` gave (raised if it is an error); the worker freed, or replaced past the memory limit."""
        if isinstance(value, MemoryLimit):
            self._replace(worker)
        else:
            self._free(worker)
        if not succeeded:
            raise value
        return value

    def _free(self, worker: _Worker) -> None:
        """Give `worker` the query of the asyncio caller that has waited longest, else put it with the idle workers
        (an event loop that read its answers stops, unless the next query is of that loop)."""
        with self._lock:
            while self._jobs and self._jobs[0].answer.done():
                self._jobs.popleft()
            if not self._jobs:
                self._unwatch(worker)
                self._idle.put(worker)
                return
            job = self._jobs.popleft()
        if worker.reading is job.loop:
            self._run(job, worker)
            return
        self._unwatch(worker)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is job.loop:
            self._run(job, worker)
        else:
            job.loop.call_soon_threadsafe(self._run, job, worker)

    def _enqueue(self, job: _Job) -> None:
        """Send `job` to an idle worker (started if the pool is not full), or queue it until one is freed."""
        with self._lock:
            if self._idle.empty() and len(self._workers) < self.size:
                self._idle.put(self._spawn())
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                self._jobs.append(job)
                return
        self._run(job, worker)

    def _run(self, job: _Job, worker: _Worker) -> None:
        """Send `job`'s query to `worker` (in the job's event loop), once the worker has loaded the release, and read
        its answer as soon as the worker's connection is readable."""
        if job.answer.done():  # given up meanwhile
            self._free(worker)
        elif worker.ready and not worker.alive():  # it ended while idle (killed from outside)
            self._replace(worker)
            self._enqueue(job)
        elif not worker.ready:
            job.worker = worker
            started = job.loop.run_in_executor(None, self._started, worker)
            started.add_done_callback(lambda done: self._loaded(job, worker, done))
        else:
            job.worker, job.started = worker, job.loop.time()
            try:
                worker.connection.send(job.request)
            except OSError:
                self._fail(job, self._died(worker))
                return
            worker.job = job
            if worker.reading is not job.loop:
                self._watch(worker, job.loop)

    def _watch(self, worker: _Worker, loop: asyncio.AbstractEventLoop) -> None:
        """Have `loop` read `worker`'s answers as they come (`_read`), query after query, until `_unwatch`."""
        descriptor = worker.connection.fileno()
        loop.add_reader(descriptor, self._read, worker)
        os.set_blocking(descriptor, True)  # uvloop makes it non-blocking; answers are read whole
        worker.reading, worker.descriptor = loop, descriptor

    @staticmethod
    def _unwatch(worker: _Worker) -> None:
        """Stop the event loop reading `worker`'s answers (from that loop's thread, where only it watches a worker)."""
        if worker.reading is not None:
            worker.reading.remove_reader(worker.descriptor)
            worker.reading = None

    def _loaded(self, job: _Job, worker: _Worker, started: asyncio.Future[None]) -> None:
        """Run `job` on `worker` once it has loaded the release; or fail the job with the reason it could not."""
        if job.answer.done():  # given up while the worker loaded: `_abandon` replaced the worker
            return
        error = started.exception()
        if error is None:
            self._run(job, worker)
            return
        self._replace(worker)
        if not job.answer.done():
            job.answer.set_exception(error)

    def _read(self, worker: _Worker) -> None:
        """Take `worker`'s answer to its job, free the worker (it takes the next query now) or replace it."""
        job, worker.job = worker.job, None
        assert job is not None
        outcome = _message(worker)
        if outcome is None:
            self._fail(job, self._died(worker))
            return
        if isinstance(outcome[1], MemoryLimit):
            self._replace(worker)
        else:
            self._free(worker)
        if not job.answer.done():
            job.answer.set_result(outcome)

    def _fail(self, job: _Job, error: BaseException) -> None:
        """Replace `job`'s worker, which failed it with `error`, and give the job the error."""
        assert job.worker is not None
        self._replace(job.worker)
        if not job.answer.done():
            job.answer.set_exception(error)

    async def _finished(
        self, job: _Job, timeout: float | None, gone: Callable[[], Awaitable[bool]] | None
    ) -> tuple[bool, Any]:
        """The (succeeded, value) of `job`, waited for at most `timeout` seconds once it runs, while `gone()` is
        False; a job given up has its worker killed and replaced (or leaves the queue, if it had not started)."""
        try:
            while not job.answer.done():
                wait = _POLL_SECONDS if gone is not None or (timeout is not None and job.started is None) else None
                if timeout is not None and job.started is not None:
                    remaining = job.started + timeout - job.loop.time()
                    if remaining <= 0:
                        raise QueryTimeout(f"query timed out after {timeout:g} s")
                    wait = remaining if wait is None else min(wait, remaining)
                await _done_within(job.answer, wait)
                if not job.answer.done() and gone is not None and await gone():
                    if job.worker is None:
                        raise QueryCancelled("the query was given up before it started")
                    raise QueryCancelled("the query was given up: its client went away")
        except BaseException:
            self._abandon(job)
            raise
        return job.answer.result()

    def _abandon(self, job: _Job) -> None:
        """Give up `job`: kill and replace its worker if it has one (a queued job is skipped when its turn comes)."""
        if job.answer.done():
            return
        job.answer.cancel()
        if job.worker is None:
            return
        self._replace(job.worker)

    def _acquire(self, cancelled: threading.Event | None) -> _Worker:
        """An idle worker that has loaded the release, started if the pool is not full; waits while all are busy."""
        with self._lock:
            if self._idle.empty() and len(self._workers) < self.size:
                self._idle.put(self._spawn())
            idle = self._idle
        while True:
            try:
                worker = idle.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if cancelled is not None and cancelled.is_set():
                    raise QueryCancelled("the query was given up before it started") from None
                continue
            if worker.alive() or not worker.ready:  # one that never started says why in `_started`
                break
            self._replace(worker)  # it ended while idle (killed from outside): its successor takes its place
        try:
            self._started(worker)
        except BaseException:
            self._replace(worker)
            raise
        return worker

    def _started(self, worker: _Worker) -> None:
        """Wait until `worker` has loaded the release."""
        if worker.ready:
            return
        if not worker.connection.poll(_START_SECONDS):
            raise RcpgraphError(f"the query worker did not load the release within {_START_SECONDS:g} s")
        if _message(worker) is None:
            raise worker.unstarted()
        worker.ready = True

    def _receive(self, worker: _Worker, timeout: float | None, cancelled: threading.Event | None) -> tuple[bool, Any]:
        """The worker's (succeeded, value), waiting at most `timeout` seconds and while `cancelled` is not set."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise QueryTimeout(f"query timed out after {timeout:g} s")
            if cancelled is not None:
                remaining = _POLL_SECONDS if remaining is None else min(remaining, _POLL_SECONDS)
            if worker.connection.poll(remaining):
                outcome = _message(worker)
                if outcome is None:
                    raise self._died(worker)
                return outcome
            if cancelled is not None and cancelled.is_set():
                raise QueryCancelled("the query was given up: its client went away")

    def _died(self, worker: _Worker) -> RcpgraphError:
        """The error for a worker that ended without answering: the memory limit if it aborted, else its exit code."""
        code = worker.process.wait()
        if code == -getattr(signal, "SIGABRT", 6) and self.memory_limit is not None:
            return memory_refusal(self.memory_limit)
        return RcpgraphError(f"the query stopped without an answer (exit code {code})")

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and start another in its place (unless the pool was closed meanwhile)."""
        self._unwatch(worker)
        worker.stop()
        with self._lock:
            if worker not in self._workers:
                return
            self._workers.remove(worker)
            self.restarts += 1
            successor = self._spawn()
        self._free(successor)

    def _spawn(self) -> _Worker:
        """Start one worker (under the lock): a new interpreter that loads the release, then says it is ready."""
        secret = os.urandom(32)
        process = subprocess.Popen(
            [sys.executable, "-c", BOOTSTRAP, str(Path(__file__).resolve().parents[2])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdin is not None
        process.stdin.write(pickle.dumps((self.files, self.engine, self.remote, self.memory_limit, self.warm, secret)))
        process.stdin.close()
        worker = _Worker(process, secret, self.memory_limit)
        self._workers.append(worker)
        return worker


def _screened(
    sparql: str, formats: Mapping[str, str], source: str | Path | None, max_rows: int | None
) -> tuple[Any, ...]:
    """The request for a worker to answer `sparql`, once it passed the cheap safety gate (here, in the caller)."""
    from rcpgraph.errors import require_utf8
    from rcpgraph.sparql import safety

    require_utf8(sparql, source, "query")
    safety.gate(sparql, source)
    return _request(sparql, formats, source, max_rows)


def _request(
    sparql: str, formats: Mapping[str, str], source: str | Path | None, max_rows: int | None
) -> tuple[Any, ...]:
    """The request for a worker to answer `sparql` (whose `Store.written` runs the safety rules)."""
    return ("query", sparql, source, max_rows, dict(formats))


async def _done_within(future: asyncio.Future[Any], seconds: float | None) -> None:
    """Return once `future` is done or `seconds` have passed (None: no limit), leaving `future` as it is (cancelling
    the caller does not cancel it): `asyncio.wait` for one future, without its sets and tasks."""
    waker = future.get_loop().create_future()

    def wake(_: object = None) -> None:
        if not waker.done():
            waker.set_result(None)

    future.add_done_callback(wake)
    timer = None if seconds is None else future.get_loop().call_later(seconds, wake)
    try:
        await waker
    finally:
        if timer is not None:
            timer.cancel()
        future.remove_done_callback(wake)


def shared(files: Sequence[Path], *, engine: str, memory_limit: int | None) -> Pool:
    """A pool of one worker over `files`, kept for the rest of this process (the command line's): a program, or a test
    session, that runs the command several times starts a worker per release, not per run. A release whose files
    changed since gets a new pool; the least recently used of more than SHARED_POOLS is closed."""
    key = (tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files), engine, memory_limit)
    with _SHARED_LOCK:
        pool = _SHARED.pop(key, None) or Pool(files, engine=engine, memory_limit=memory_limit)
        _SHARED[key] = pool
        while len(_SHARED) > SHARED_POOLS:
            _SHARED.pop(next(iter(_SHARED))).close()
    return pool


def memory_refusal(megabytes: int | None) -> MemoryLimit:
    """The refusal of a query past the memory limit of `megabytes`."""
    if megabytes is None:
        return MemoryLimit("the query ran out of memory")
    return MemoryLimit(f"the query needed more than {megabytes:,} MB (the memory limit of a query)")


def _message(worker: _Worker) -> Any:
    """The next message from `worker`, or None if it ended."""
    try:
        return worker.connection.recv()
    except (EOFError, OSError):
        return None


def _stop_all(workers: list[_Worker]) -> None:
    """Stop every worker in `workers` and empty the list."""
    for worker in workers:
        worker.stop()
    workers.clear()


def main() -> None:
    """A worker's life: read its settings, cap its memory, listen for its pool, load the release, then answer
    requests until the pool goes away."""
    from multiprocessing.connection import Listener

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C interrupts the caller, which stops its workers
    files, engine, remote, memory_limit, warm, secret = pickle.load(sys.stdin.buffer)
    threading.Thread(target=_orphaned, args=(os.getppid(),), daemon=True).start()
    _limit_memory(memory_limit)
    with Listener(authkey=secret) as listener:
        sys.stdout.write(f"{listener.address}\n")
        sys.stdout.flush()
        connection = listener.accept()
    store, failure = _load(files, engine, remote, memory_limit, warm)
    connection.send("ready")
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        outcome = _reply(store, failure, request, memory_limit)
        try:
            connection.send(outcome)
        except MemoryError:
            outcome = (False, memory_refusal(memory_limit))
            connection.send(outcome)
        if isinstance(outcome[1], MemoryLimit):
            return


def _orphaned(parent: int) -> None:
    """End this worker, even in the middle of a query, once its pool's process has gone (killed without closing it)."""
    while os.getppid() == parent:
        time.sleep(_ORPHAN_SECONDS)
    os._exit(0)


def _limit_memory(megabytes: int | None) -> None:
    """Cap this process's address space at `megabytes`, where the platform can (POSIX)."""
    try:
        import resource
    except ImportError:
        return
    if megabytes is not None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _load(
    files: tuple[Path, ...], engine: str, remote: Remote | None, memory_limit: int | None, warm: bool
) -> tuple[Store | None, RcpgraphError | None]:
    """The release in a store (or the `remote` store), or the error that loading it gave; on rdflib, or if `warm`,
    rdflib's query parser made ready too (its grammar takes half a second to set up at the first parse, which would
    otherwise count against a query)."""
    from rcpgraph.sparql import safety
    from rcpgraph.sparql.store import open_store

    try:
        store = open_store(files, engine, remote)
        if engine == "rdflib" and remote is None:
            store.query("ASK {}")
        elif warm:
            safety.check("ASK {}")
        return store, None
    except RcpgraphError as error:
        return None, error
    except MemoryError:
        return None, RcpgraphError(f"the release needs more memory to load than the limit of {memory_limit} MB")


def _reply(
    store: Store | None, failure: RcpgraphError | None, request: tuple[Any, ...], memory_limit: int | None
) -> tuple[bool, Any]:
    """(True, the answer to `request`) or (False, the RcpgraphError it gave)."""
    try:
        if store is None:
            raise failure or RcpgraphError("the release is not loaded")
        if request[0] == "individuals":
            return True, sorted(set(store.individuals()))
        _, sparql, source, max_rows, formats = request
        return True, store.written(sparql, formats, source=source, max_rows=max_rows)
    except RcpgraphError as error:
        return False, error
    except MemoryError:
        return False, memory_refusal(memory_limit)
