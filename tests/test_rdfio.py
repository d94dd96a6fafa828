"""Reading RDF strictly, serialising it deterministically and writing files atomically."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic, to_canonical_graph

import rcpgraph
from rcpgraph import rdfio
from rcpgraph.errors import InputError

EX = Namespace("http://example.org/")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")

TURTLE = """@prefix ex: <http://example.org/> .
ex:a ex:size "01"^^<http://www.w3.org/2001/XMLSchema#integer> ;
    ex:label "A", "Ä"@de ;
    ex:list ( ex:x [ ex:p 1 ] "three" ) ;
    ex:shared _:s .
ex:b ex:shared _:s .
_:s ex:q [ ex:r 2 ], [ ex:r 2 ] .
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    """A file in `folder` with `content`."""
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def input_error(path: Path, base_iri: str | None = None) -> str:
    """The message parse_file raises for `path`."""
    with pytest.raises(InputError) as caught:
        rdfio.parse_file(path, base_iri)
    return str(caught.value)


def test_turtle_keeps_lexical_forms_and_prefixes(tmp_path: Path) -> None:
    graph = rdfio.parse_file(write(tmp_path, "data.ttl", TURTLE))
    assert graph.value(EX.a, EX.size) == Literal("01", datatype=XSD_INTEGER, normalize=False)
    assert str(graph.value(EX.a, EX.size)) == "01"
    assert set(graph.objects(EX.a, EX.label)) == {Literal("A"), Literal("Ä", lang="de")}
    assert ("ex", URIRef("http://example.org/")) in set(graph.namespaces())
    assert len(graph) == 17


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("data.nt", '<http://example.org/a> <http://example.org/p> "x" .\n'),
        ("data.jsonld", '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": "x"}'),
        ("data.trig", '<http://example.org/g> { <http://example.org/a> <http://example.org/p> "x" . }'),
        ("data.nq", '<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n'),
    ],
)
def test_other_formats_give_one_graph(tmp_path: Path, name: str, content: str) -> None:
    graph = rdfio.parse_file(write(tmp_path, name, content))
    assert set(graph) == {(EX.a, EX.p, Literal("x"))}


def test_trig_is_the_union_of_its_graphs(tmp_path: Path) -> None:
    text = "@prefix ex: <http://example.org/> .\nex:a ex:p 1 .\nex:g { ex:a ex:p 2 . }\nex:h { ex:a ex:p 1 . }\n"
    graph = rdfio.parse_file(write(tmp_path, "data.trig", text))
    assert sorted(int(value) for value in graph.objects(EX.a, EX.p)) == [1, 2]


def test_base_iri_resolves_relative_iris(tmp_path: Path) -> None:
    path = write(tmp_path, "rel.ttl", "<a> <p> <b> .\n")
    graph = rdfio.parse_file(path, base_iri="http://example.org/")
    assert set(graph) == {(EX.a, EX.p, EX.b)}
    # without one, the file's own location is the base, as the W3C test suites assume
    folder = tmp_path.resolve().as_uri()
    assert set(rdfio.parse_file(path)) == {(URIRef(f"{folder}/a"), URIRef(f"{folder}/p"), URIRef(f"{folder}/b"))}
    with pytest.raises(InputError) as caught:
        rdfio.parse_turtle_text("<a> <p> <b> .\n", "text.ttl")
    assert str(caught.value) == "text.ttl:1:1: a relative IRI, and no base IRI to resolve it against"


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("deep.ttl", "<http://e/a> <http://e/p> " + "(" * 300 + ")" * 300 + " .\n", "1:283"),
        ("deep.ttl", "<http://e/a> <http://e/p> " + "[ <http://e/q> " * 257 + "1" + " ]" * 257 + " .\n", "1:3867"),
        ("deep.jsonld", '{"@id": "http://e/a", "http://e/p": ' + "[" * 300 + "1" + "]" * 300 + "}", "1:292"),
    ],
)
def test_brackets_nested_too_deep_are_refused_before_parsing(tmp_path: Path, name: str, content: str, where: str):
    path = write(tmp_path, name, content)
    assert input_error(path) == f"{path}:{where}: nested deeper than 256 levels of brackets (the limit for RDF files)"


def test_brackets_in_strings_iris_and_comments_do_not_count(tmp_path: Path) -> None:
    deep = "(" * 300
    text = f'<http://e/a{deep}> <http://e/p> "{deep}1", """{deep}2""", \'{deep}3\' . # {deep}\n'
    assert len(rdfio.parse_file(write(tmp_path, "text.ttl", text))) == 3
    jsonld = json.dumps({"@id": "http://e/a", "http://e/p": deep})
    assert len(rdfio.parse_file(write(tmp_path, "text.jsonld", jsonld))) == 1


def test_a_literal_over_16_mib_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, "big.ttl", '<http://e/a> <http://e/p> "x" .\n<http://e/a> <http://e/q> "' + "a" * (17 << 20) + '" .\n'
    )
    assert input_error(path) == f"{path}:2: a literal or IRI longer than 16 MiB (the parser's limit)"


def test_blank_nodes_of_two_documents_stay_apart(tmp_path: Path) -> None:
    path = write(tmp_path, "b.ttl", "_:x <http://example.org/p> 1 .\n")
    merged = rdfio.parse_file(path) + rdfio.parse_file(path)
    assert len(set(merged.subjects())) == 2


def test_unknown_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "data.xyz", "")
    assert input_error(path) == f"{path}: unknown RDF format for extension '.xyz' (use .ttl, .nt, .jsonld, .trig)"


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.ttl"
    assert input_error(path) == f"{path}: file not found"


def test_directory(tmp_path: Path) -> None:
    path = tmp_path / "folder.ttl"
    path.mkdir()
    assert input_error(path) == f"{path}: is a directory, not a file"


def test_malformed_turtle_on_line_3(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    assert input_error(path) == f"{path}:3:11: . is not a valid RDF object"


def test_unterminated_string_names_where_it_starts(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.ttl", '@prefix ex: <http://example.org/> .\n\nex:a ex:b "open .\n')
    assert input_error(path) == f"{path}:3:11: Unexpected end of file"


def test_invalid_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.ttl", b'<http://example.org/a>\n  <http://example.org/p> "\xc3\xa9\xff" .\n')
    assert input_error(path) == f"{path}:2:28: invalid UTF-8 (byte 0xff)"


def test_invalid_json(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.jsonld", '{\n  "@id": "http://example.org/a",\n  "http://example.org/p": [1,]\n}')
    assert input_error(path) == f"{path}:3:30: invalid JSON: Expecting value"


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "http://example.org/context.jsonld", "@id": "http://example.org/a"},
        {"@context": [{"ex": "http://example.org/"}, "ctx.jsonld"], "@id": "http://example.org/a"},
        {"@context": {"@import": "http://example.org/context.jsonld"}, "@id": "http://example.org/a"},
        {"@graph": [{"@context": "http://example.org/context.jsonld", "@id": "http://example.org/a"}]},
    ],
)
def test_remote_jsonld_contexts_are_refused(tmp_path: Path, document: dict[str, object]) -> None:
    path = write(tmp_path, "remote.jsonld", json.dumps(document))
    assert input_error(path).startswith(f"{path}: remote JSON-LD contexts are not fetched: '")


def test_rdf12_triple_terms_are_refused(tmp_path: Path) -> None:
    text = "<http://example.org/a> <http://example.org/p> <<( <http://example.org/a> <http://example.org/p> 1 )>> .\n"
    path = write(tmp_path, "star.ttl", text)
    assert input_error(path) == f"{path}: RDF 1.2 triple terms are not supported"


def test_ill_typed_literal_is_kept_quietly(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        "odd.ttl",
        '<http://example.org/a> <http://example.org/p> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    )
    graph = rdfio.parse_file(path)
    assert str(graph.value(EX.a, EX.p)) == "abc"
    assert capfd.readouterr().err == ""


def test_parse_turtle_text_names_the_source() -> None:
    with pytest.raises(InputError) as caught:
        rdfio.parse_turtle_text("<http://example.org/a> .", "inline.ttl")
    assert str(caught.value) == "inline.ttl:1:24: . is not a valid predicate"


SERIALIZE_SCRIPT = """
import sys
from pathlib import Path
from rcpgraph import rdfio
graph = rdfio.parse_file(Path(sys.argv[1]))
for fmt in sys.argv[3:]:
    (Path(sys.argv[2]) / fmt).write_bytes(rdfio.serialize(graph, fmt))
"""
SEEDS = ("1", "2", "3")


def serialize_in_new_process(path: Path, out: Path, seed: str) -> dict[str, bytes]:
    """The bytes `serialize` gives in each output format in a fresh Python process with hash seed `seed`."""
    package_parent = str(Path(rcpgraph.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": package_parent}
    out.mkdir()
    command = [sys.executable, "-c", SERIALIZE_SCRIPT, str(path), str(out), *rdfio.OUTPUT_FORMATS]
    subprocess.run(command, env=env, capture_output=True, check=True)
    return {fmt: (out / fmt).read_bytes() for fmt in rdfio.OUTPUT_FORMATS}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, bytes]]]:
    """The test data, and what each of three fresh processes (one per hash seed) serializes it to in each format."""
    folder = tmp_path_factory.mktemp("fresh")
    path = write(folder, "data.ttl", TURTLE)
    return path, {seed: serialize_in_new_process(path, folder / seed, seed) for seed in SEEDS}


@pytest.mark.parametrize("fmt", rdfio.OUTPUT_FORMATS)
def test_serialize_is_deterministic_across_processes(fresh: tuple[Path, dict[str, dict[str, bytes]]], fmt: str) -> None:
    path, outputs = fresh
    assert len({outputs[seed][fmt] for seed in SEEDS}) == 1
    assert {outputs[seed][fmt] for seed in SEEDS} == {rdfio.serialize(rdfio.parse_file(path), fmt)}


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("turtle", ".ttl"), ("ntriples", ".nt"), ("jsonld", ".jsonld"), ("trig", ".trig")]
)
def test_serialize_round_trips(tmp_path: Path, fmt: str, suffix: str) -> None:
    graph = rdfio.parse_file(write(tmp_path, "data.ttl", TURTLE))
    copy = rdfio.parse_file(write(tmp_path, "copy" + suffix, rdfio.serialize(graph, fmt)))
    assert isomorphic(graph, copy)
    assert str(copy.value(EX.a, EX.size)) == "01"


def test_ntriples_lines_are_sorted(tmp_path: Path) -> None:
    lines = rdfio.serialize(rdfio.parse_file(write(tmp_path, "data.ttl", TURTLE)), "ntriples").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == 17


def test_jsonld_context_is_inline(tmp_path: Path) -> None:
    document = json.loads(rdfio.serialize(rdfio.parse_file(write(tmp_path, "data.ttl", TURTLE)), "jsonld"))
    assert document["@context"]["ex"] == "http://example.org/"


def test_blank_nodes_get_short_canonical_labels() -> None:
    graph = Graph()
    graph.add((EX.a, EX.p, BNode("random-label")))
    assert rdfio.serialize(graph, "ntriples") == b"<http://example.org/a> <http://example.org/p> _:b0 .\n"


def rdflib_turtle(graph: Graph) -> bytes:
    """What `serialize` wrote before it had its own Turtle writer: rdflib's serializer on a sorted canonical copy."""
    triples = list(graph)
    if any(isinstance(term, BNode) for triple in triples for term in triple):
        triples = list(to_canonical_graph(graph))
    blank_nodes = sorted({term for triple in triples for term in triple if isinstance(term, BNode)})
    labels = {node: BNode(f"b{number}") for number, node in enumerate(blank_nodes)}
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in sorted(graph.namespaces()):
        copy.bind(prefix, namespace, override=True, replace=True)
    relabelled = [(labels.get(s, s), labels.get(p, p), labels.get(o, o)) for s, p, o in triples]
    for triple in sorted(relabelled, key=lambda terms: tuple(term.n3() for term in terms)):
        copy.add(triple)
    return copy.serialize(format="turtle", encoding="utf-8")


def turtle_corpus() -> list[Path]:
    """The ontology, the shapes and the W3C Turtle evaluation tests' data: lists, nesting, escapes. (The release,
    written by rdflib's serializer until this writer came, is compared with a new build byte for byte by
    tests/test_cli_build.py.)"""
    root = Path(__file__).resolve().parents[1]
    return [*sorted((root / "ontology").glob("*.ttl")), *sorted((root / "tests" / "w3c" / "rdf-turtle").glob("*.ttl"))]


def test_turtle_is_rdflibs_serializer_byte_for_byte(tmp_path: Path) -> None:
    data = write(tmp_path, "data.ttl", TURTLE)
    compared, different = 0, []
    for path in [data, *turtle_corpus()]:
        try:
            graph = rdfio.parse_file(path)
        except InputError:  # a negative syntax test
            continue
        expected = rdflib_turtle(graph)
        if b"@prefix ns1: " in expected:  # a prefix rdflib makes up, in an order that varies (below)
            continue
        compared += 1
        if rdfio.serialize(graph, "turtle") != expected:
            different.append(path.name)
    assert different == []
    assert compared == 98


def test_made_up_prefixes_follow_the_sorted_triples() -> None:
    graph = Graph(bind_namespaces="none")
    for name in ("b", "a"):
        graph.add((URIRef(f"http://example.org/{name}/s"), URIRef(f"http://example.org/{name}/p"), Literal(name)))
    assert rdfio.serialize(graph, "turtle").decode() == (
        "@prefix ns1: <http://example.org/a/> .\n"
        "@prefix ns2: <http://example.org/b/> .\n"
        "\n"
        'ns1:s ns1:p "a" .\n'
        "\n"
        'ns2:s ns2:p "b" .\n'
        "\n"
    )


def test_prefixes_longer_than_an_iris_namespace_name_it() -> None:
    """A prefix of `http://example.org/a/b` names `http://example.org/a/bc` (rdflib splits it after `a/`); an IRI no
    prefix names, nor one longer than its namespace, is written in full; as rdflib's serializer writes them."""
    graph = Graph(bind_namespaces="none")
    graph.bind("long", "http://example.org/a/b")
    graph.bind("ex", "http://example.org/")
    for name in ("bc", "cd", "b/e", "x/y"):
        graph.add((URIRef(f"http://example.org/a/{name}"), URIRef("http://example.org/p"), Literal(name)))
    text = rdfio.serialize(graph, "turtle")
    assert text == rdflib_turtle(graph)
    assert text.decode() == (
        "@prefix ex: <http://example.org/> .\n"
        "@prefix long: <http://example.org/a/b> .\n"
        "\n"
        '<http://example.org/a/b/e> ex:p "b/e" .\n'
        "\n"
        'long:c ex:p "bc" .\n'
        "\n"
        '<http://example.org/a/cd> ex:p "cd" .\n'
        "\n"
        '<http://example.org/a/x/y> ex:p "x/y" .\n'
        "\n"
    )


def test_unknown_output_format() -> None:
    with pytest.raises(InputError) as caught:
        rdfio.serialize(Graph(), "n3")
    assert str(caught.value) == "unknown RDF output format 'n3' (use turtle, ntriples, jsonld, trig, rdfxml)"


def test_write_atomic_creates_parent_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "new" / "out.ttl"
    rdfio.write_atomic(target, b"first")
    rdfio.write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["out.ttl"]


@pytest.mark.parametrize(
    "failure", [RuntimeError("serialisation failed midway"), OSError(28, "No space left on device")]
)
def test_failed_write_leaves_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = write(tmp_path, "out.ttl", b"old content\n")
    written: list[str] = []

    def failing_fsync(descriptor: int) -> None:
        written.extend(name for name in os.listdir(tmp_path) if name != "out.ttl")
        raise failure

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises((RuntimeError, InputError)) as caught:
        rdfio.write_atomic(target, b"new content that never lands\n")
    assert target.read_bytes() == b"old content\n"
    assert os.listdir(tmp_path) == ["out.ttl"]
    assert len(written) == 1 and written[0].startswith(".out.ttl.")
    if isinstance(failure, OSError):
        assert str(caught.value) == f"{target}: cannot write file: No space left on device"


@pytest.mark.parametrize("broken", ["void.ttl", "c.ttl"])
def test_write_all_replaces_no_file_when_one_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    old = {name: write(tmp_path, name, f"old {name}\n".encode()) for name in ("a.ttl", "b.ttl")}
    (tmp_path / "void.ttl").mkdir()
    real_fsync, staged = os.fsync, []

    def fsync(descriptor: int) -> None:
        staged.append(descriptor)
        if broken == "c.ttl" and len(staged) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / broken
    with pytest.raises(InputError) as caught:
        rdfio.write_all({**{path: b"new\n" for path in old.values()}, target: b"new\n"})
    reason = "Is a directory" if broken == "void.ttl" else "No space left on device"
    assert str(caught.value) == f"{target}: cannot write file: {reason}"
    assert {path.name: path.read_bytes() for path in old.values()} == {"a.ttl": b"old a.ttl\n", "b.ttl": b"old b.ttl\n"}
    assert sorted(os.listdir(tmp_path)) == ["a.ttl", "b.ttl", "void.ttl"]
