"""Reading and writing RDF files: strict parsing, deterministic serialisation, atomic writes.

Files are parsed by pyoxigraph, a conformant parser, and converted to rdflib graphs. A TriG or
N-Quads file becomes the union of its graphs in one rdflib `Graph` (graph names are dropped).
Nothing here uses the network: a JSON-LD file naming a remote `@context` is rejected.
Heavy libraries are imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from rcpgraph.errors import InputError

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph
    from rdflib.term import Node

FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".trig": "trig",
    ".nq": "nquads",
}

OUTPUT_FORMATS = ("turtle", "ntriples", "jsonld", "trig", "rdfxml")

MAX_NESTING = 256  # brackets in a Turtle, TriG or JSON-LD file: deeper is refused before parsing
MAX_TERM_BYTES = 16 * 1024 * 1024  # pyoxigraph's buffer: a longer literal or IRI is refused

_TURTLE_SKIPPED = (  # strings, IRIs and comments, where a bracket is text
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""',
    rb"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''",
    rb'"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"',
    rb"'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'",
    rb'<[^<>"\s]*>',
    rb"#[^\n\r]*",
)
_TURTLE_TOKENS = re.compile(b"|".join((*_TURTLE_SKIPPED, rb"(?P<open>[\[(])|(?P<close>[\])])")))
_JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|(?P<open>[\[{])|(?P<close>[\]}])')
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LOCATION = re.compile(r"^Parser error (?:at|between) [^:]*: ")


def format_of(path: Path) -> str:
    """The RDF format named by the extension of `path`, e.g. "turtle" for `.ttl`."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise InputError(
            f"unknown RDF format for extension '{path.suffix}' (use .ttl, .nt, .jsonld, .trig)", file=path
        ) from None


def parse_file(path: Path, base_iri: str | None = None) -> Graph:
    """Parse an RDF file strictly into an rdflib Graph; relative IRIs resolve against `base_iri`, else its URL."""
    fmt = format_of(path)
    data = _read(path)
    _check_utf8(data, path)
    _check_nesting(data, fmt, path)
    if fmt == "jsonld":
        _check_local_contexts(data, path)
    return _parse(data, fmt, path, base_iri or path.resolve().as_uri())


def parse_turtle_text(text: str, name: str, base_iri: str | None = None) -> Graph:
    """Parse Turtle already in memory; `name` stands for the file in error messages."""
    return _parse(text.encode("utf-8"), "turtle", Path(name), base_iri)


def _read(path: Path) -> bytes:
    """The bytes of `path`, or an InputError naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", file=path) from None
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", file=path) from None


def _check_utf8(data: bytes, path: Path) -> None:
    """Raise an InputError at the line and column of the first byte that is not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8")) + 1
        bad = data[error.start]
        raise InputError(f"invalid UTF-8 (byte 0x{bad:02x})", file=path, line=line, column=column) from None


def _check_nesting(data: bytes, fmt: str, path: Path) -> None:
    """Refuse, at its line and column, a bracket nested deeper than MAX_NESTING (a collection in a collection ...)."""
    if fmt == "ntriples":
        return
    tokens = _JSON_TOKENS if fmt == "jsonld" else _TURTLE_TOKENS
    depth = 0
    for match in tokens.finditer(data):
        bracket = match.group("open") or match.group("close")
        if not bracket:
            continue
        depth += 1 if match.group("open") else -1
        if depth > MAX_NESTING:
            line = data.count(b"\n", 0, match.start()) + 1
            column = len(data[data.rfind(b"\n", 0, match.start()) + 1 : match.start()].decode("utf-8")) + 1
            message = f"nested deeper than {MAX_NESTING} levels of brackets (the limit for RDF files)"
            raise InputError(message, file=path, line=line, column=column)


def _check_local_contexts(data: bytes, path: Path) -> None:
    """Reject JSON that is malformed or names a remote JSON-LD context (never fetched)."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise InputError(f"invalid JSON: {error.msg}", file=path, line=error.lineno, column=error.colno) from None
    remote = _remote_context(document)
    if remote is not None:
        raise InputError(f"remote JSON-LD contexts are not fetched: '{remote}' (use an inline @context)", file=path)


def _remote_context(node: object) -> str | None:
    """The first context IRI referenced by `@context` or `@import` anywhere in a JSON document."""
    if isinstance(node, dict):
        for key in ("@context", "@import"):
            value = node.get(key)
            references = value if isinstance(value, list) else [value]
            for reference in references:
                if isinstance(reference, str):
                    return reference
        children: Iterable[object] = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    return next((found for child in children if (found := _remote_context(child)) is not None), None)


def _parse(data: bytes, fmt: str, path: Path, base_iri: str | None) -> Graph:
    """Parse `data` with pyoxigraph and convert the quads into an rdflib Graph."""
    import pyoxigraph
    from rdflib import Graph

    oxformat = {
        "turtle": pyoxigraph.RdfFormat.TURTLE,
        "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
        "jsonld": pyoxigraph.RdfFormat.JSON_LD,
        "trig": pyoxigraph.RdfFormat.TRIG,
        "nquads": pyoxigraph.RdfFormat.N_QUADS,
    }[fmt]
    parser = pyoxigraph.parse(data, oxformat, base_iri=base_iri)
    try:
        quads = list(parser)
    except SyntaxError as error:
        raise _syntax_error(error, path) from None
    except MemoryError:
        line = next((n for n, text in enumerate(data.split(b"\n"), 1) if len(text) > MAX_TERM_BYTES), None)
        raise InputError("a literal or IRI longer than 16 MiB (the parser's limit)", file=path, line=line) from None
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in sorted(parser.prefixes.items()):
        graph.bind(prefix, namespace, override=True, replace=True)
    with silenced("rdflib.term"):  # an ill-typed literal such as "x"^^xsd:integer is logged with a traceback
        graph += _Converter(path).triples(quads)
    return graph


def _syntax_error(error: SyntaxError, path: Path) -> InputError:
    """An InputError at the line and column pyoxigraph reports, without its location prefix."""
    message = _LOCATION.sub("", str(error.msg)).replace("\n", " ")
    if message == "No scheme found in an absolute IRI":
        message = "a relative IRI, and no base IRI to resolve it against"
    return InputError(message, file=path, line=error.lineno, column=error.offset)


@contextmanager
def silenced(logger_name: str) -> Iterator[None]:
    """Silence one library logger in the block: rdflib and pySHACL log tracebacks straight to stderr."""
    logger = logging.getLogger(logger_name)
    previous = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = previous


class _Converter:
    """Converts pyoxigraph terms to rdflib terms; blank nodes are fresh for each parsed document."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.blank_nodes: dict[str, Node] = {}

    def triples(self, quads: Iterable[pyoxigraph.Quad]) -> Iterator[tuple[Node, Node, Node]]:
        """The triples of `quads`, graph names dropped."""
        for quad in quads:
            yield self.term(quad.subject), self.term(quad.predicate), self.term(quad.object)

    def term(self, term: object) -> Node:
        """The rdflib term for one pyoxigraph term, keeping literal lexical forms exactly."""
        import pyoxigraph
        from rdflib import BNode, Literal, URIRef

        if isinstance(term, pyoxigraph.NamedNode):
            return URIRef(term.value)
        if isinstance(term, pyoxigraph.BlankNode):
            if term.value not in self.blank_nodes:
                self.blank_nodes[term.value] = BNode()
            return self.blank_nodes[term.value]
        if not isinstance(term, pyoxigraph.Literal):
            raise InputError("RDF 1.2 triple terms are not supported", file=self.path)
        if term.direction is not None:
            raise InputError("RDF 1.2 directional language strings are not supported", file=self.path)
        if term.language is not None:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def serialize(graph: Graph, fmt: str) -> bytes:
    """Serialise `graph` as turtle, ntriples, jsonld, trig or rdfxml; the same graph always gives the same bytes.

    TriG output is the Turtle text: a Turtle document is a TriG document with only a default graph.
    """
    if fmt not in OUTPUT_FORMATS:
        raise InputError(f"unknown RDF output format '{fmt}' (use {', '.join(OUTPUT_FORMATS)})")
    triples = _canonical_triples(graph)
    if fmt in ("turtle", "trig"):
        from rcpgraph.turtlewriter import turtle

        return turtle(triples, _bound(graph))
    ordered = _bound(graph)
    for triple in triples:
        ordered.add(triple)
    if fmt == "ntriples":
        lines = ordered.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if fmt == "jsonld":
        return _jsonld(ordered)
    return _rdfxml(ordered)


def _canonical_triples(graph: Graph) -> list[tuple[Node, Node, Node]]:
    """The triples of `graph` with canonical blank node labels (b0, b1, ...), sorted by their N-Triples terms.

    Only the triples that hold a blank node are canonicalised: rdflib's canonical labels are computed from
    those alone (its colouring starts from the blank nodes and the terms next to them, and refines it by
    their triples), and the other triples are many more.
    """
    from rdflib import BNode, Graph
    from rdflib.compare import to_canonical_graph

    triples = list(graph)
    blank = [triple for triple in triples if any(isinstance(term, BNode) for term in triple)]
    if blank:
        part = Graph()
        for triple in blank:
            part.add(triple)
        triples = [triple for triple in triples if not any(isinstance(term, BNode) for term in triple)]
        triples += to_canonical_graph(part)
    blank_nodes = sorted({term for triple in triples for term in triple if isinstance(term, BNode)})
    labels: dict[Node, Node] = {node: BNode(f"b{number}") for number, node in enumerate(blank_nodes)}
    relabelled = [(labels.get(s, s), labels.get(p, p), labels.get(o, o)) for s, p, o in triples]
    texts: dict[Node, str] = {}

    def key(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
        s, p, o = (texts[term] if term in texts else texts.setdefault(term, term.n3()) for term in triple)
        return s, p, o

    return sorted(relabelled, key=key)


def _bound(graph: Graph) -> Graph:
    """An empty graph with the prefixes of `graph`, in sorted order."""
    from rdflib import Graph

    copy = Graph(bind_namespaces="none")
    for prefix, namespace in sorted(graph.namespaces()):
        copy.bind(prefix, namespace, override=True, replace=True)
    return copy


def _rdfxml(graph: Graph) -> bytes:
    """RDF/XML written by pyoxigraph in the copy's sorted order (rdflib's writer orders subjects by hash)."""
    import pyoxigraph
    from rdflib import BNode, Literal

    def term(node: Node) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
        if isinstance(node, BNode):
            return pyoxigraph.BlankNode(str(node))
        if isinstance(node, Literal):
            if node.language:
                return pyoxigraph.Literal(str(node), language=node.language)
            datatype = pyoxigraph.NamedNode(str(node.datatype)) if node.datatype else None
            return pyoxigraph.Literal(str(node), datatype=datatype)
        return pyoxigraph.NamedNode(str(node))

    ordered = sorted(graph, key=lambda triple: tuple(node.n3() for node in triple))
    triples = [pyoxigraph.Triple(term(s), term(p), term(o)) for s, p, o in ordered]  # type: ignore[arg-type]
    written = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.RDF_XML, prefixes=_used_namespaces(graph))
    assert written is not None  # with no output given, pyoxigraph returns the bytes
    return written


def _jsonld(graph: Graph) -> bytes:
    """JSON-LD with an inline context, literals in their exact lexical forms, keys and unordered arrays sorted."""
    from rdflib.plugins.serializers.jsonld import Converter
    from rdflib.plugins.shared.jsonld.context import Context

    context = _used_namespaces(graph)
    converter = Converter(Context(context), use_native_types=False, use_rdf_type=False)
    converter.use_native_types = False  # rdflib turns JSON numbers on with a context: "01" would become 1
    document = {"@context": context, "@graph": converter.from_graph(graph)}
    return (json.dumps(_sorted_json(document), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _sorted_json(node: object, key: str | None = None) -> object:
    """`node` with every array sorted, except the ordered `@list` arrays."""
    if isinstance(node, dict):
        return {name: _sorted_json(value, name) for name, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_json(item) for item in node]
        return items if key == "@list" else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return node


def _used_namespaces(graph: Graph) -> dict[str, str]:
    """An inline JSON-LD context: the bound prefixes whose namespace some IRI in `graph` uses."""
    from rdflib import Literal, URIRef

    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    iris |= {str(term.datatype) for _, _, term in graph if isinstance(term, Literal) and term.datatype}
    return {
        prefix: str(namespace)
        for prefix, namespace in sorted(graph.namespaces())
        if prefix and any(iri.startswith(str(namespace)) for iri in iris)
    }


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename, so `path` is never half-written."""
    write_all({path: data})


def write_all(documents: Mapping[Path, bytes]) -> None:
    """Write several files as one release: all are staged in temporary files, and checked, before any is replaced.

    A failure while writing (a full disk, a destination that is a directory) leaves every file as it was.
    """
    staged: dict[Path, Path] = {}
    path = next(iter(documents), Path())
    try:
        for path, data in documents.items():
            staged[path] = _stage(path, data)
        for path in documents:
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        for path, temporary in staged.items():
            os.replace(temporary, path)
    except OSError as error:
        raise InputError(f"cannot write file: {error.strerror or error}", file=path) from None
    finally:
        for temporary in staged.values():
            with suppress(OSError):
                temporary.unlink()


def write_folder(folder: Path, documents: Mapping[str, bytes]) -> None:
    """Replace the files of `folder` named in `documents` in one step: readers see the old set or the new one.

    The files are written and synced into a new folder beside `folder`, which is then swapped with it by one
    atomic exchange (Linux's renameat2), or renamed into place when `folder` is new; other files of `folder`
    move along. Where no exchange is possible, the files are replaced one by one, as `write_all` does. A
    failure leaves `folder` as it was; what a killed write leaves beside it is removed by the next write.
    """
    for stale in folder.parent.glob(f".{folder.name}.*.new"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = folder.with_name(f".{folder.name}.{secrets.token_hex(6)}.new")
    try:
        staging.mkdir(parents=True)
        for name, data in documents.items():
            _write_synced(staging / name, data)
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
        if not folder.exists():
            os.rename(staging, folder)
        else:
            _carry_over(folder, staging, documents)
            if not _exchange(staging, folder):
                write_all({folder / name: data for name, data in documents.items()})
        _sync_folder(folder.parent)
    except OSError as error:
        raise InputError(f"cannot write the release: {error.strerror or error}", file=folder) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _carry_over(folder: Path, staging: Path, documents: Mapping[str, bytes]) -> None:
    """Copy into `staging` the files of `folder` that `documents` does not replace."""
    for other in folder.iterdir():
        if other.name not in documents and other.is_file():
            shutil.copy2(other, staging / other.name)


def _exchange(new: Path, old: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(old), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # a file system or kernel without the exchange
        return False
    raise OSError(code, os.strerror(code))


def _write_synced(path: Path, data: bytes) -> None:
    """`data` written to a new file at `path` and synced to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _sync_folder(folder: Path) -> None:
    """Sync a folder's entries (a rename in it) to disk, where the platform allows it."""
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _stage(path: Path, data: bytes) -> Path:
    """`data` written and synced to a new temporary file beside `path`; its path."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _write_synced(temporary, data)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise
    return temporary
