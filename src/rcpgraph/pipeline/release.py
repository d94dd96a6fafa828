"""Write and read the release: the asserted and the inferred graph as deterministic Turtle (stage 6)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rcpgraph import rdfio
from rcpgraph.errors import InputError
from rcpgraph.paths import INFERRED_NAME, RELEASE_NAME, VOID_NAME

if TYPE_CHECKING:
    from rdflib import Graph


def write(folder: Path, asserted: Graph, inferred: Graph, description: Graph) -> tuple[Path, Path]:
    """Serialise the graphs and the dataset's VoID/DCAT description, then replace the three files in one step."""
    rdfio.write_folder(
        folder,
        {
            RELEASE_NAME: rdfio.serialize(asserted, "turtle"),
            INFERRED_NAME: rdfio.serialize(inferred, "turtle"),
            VOID_NAME: rdfio.serialize(description, "turtle"),
        },
    )
    return folder / RELEASE_NAME, folder / INFERRED_NAME


def files(folder: Path, inferred: bool = True) -> list[Path]:
    """The release files in `folder` (the asserted one, and the inferred one if asked), which must exist."""
    wanted = [folder / RELEASE_NAME] + ([folder / INFERRED_NAME] if inferred else [])
    for path in wanted:
        if not path.is_file():
            raise InputError(f"release not found: {path} (run `rcpgraph build`)")
    return wanted


def load(folder: Path, inferred: bool = True) -> Graph:
    """The release as one rdflib graph: the asserted triples, plus the entailments if asked."""
    from rdflib import Graph

    graph = Graph()
    for path in files(folder, inferred):
        part = rdfio.parse_file(path)
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph += part
    return graph
