"""The build pipeline, stage by stage: source → curation → build → reason → validate → release
(the two graphs and their VoID/DCAT description)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rcpgraph import progress
from rcpgraph.errors import ValidationFailed
from rcpgraph.paths import Layout
from rcpgraph.pipeline import collector, dataset, graph, reasoners, reasoning, release, validation


@dataclass(frozen=True)
class Built:
    """What a successful build wrote."""

    asserted: Path
    inferred: Path
    asserted_triples: int
    inferred_triples: int
    report: validation.Report


@collector.fewer_collections()
def run(layout: Layout, out: Path, reasoner: str = reasoners.DEFAULT) -> Built:
    """Build, reason (with the reasoner of that name), validate, and only then write the release into `out`."""
    close = reasoners.load(reasoner)  # before any work: a reasoner whose package is missing stops the build at once
    with progress.stage("reading the source, the curation and the ontology"):
        inputs = graph.load_inputs(layout)
    with progress.stage("building the asserted graph"):
        asserted = graph.asserted_graph(inputs)
    with progress.stage("reasoning (OWL 2 RL)"):
        inferred = reasoning.entailments(asserted, close)
    with progress.stage("validating (SHACL)"):
        shapes_graph = validation.load_shapes(layout.shapes_file)
        data = asserted + inferred  # a new graph, which validation may use as it is
        report = validation.validate(data, shapes_graph, inputs.ontology, layout.shapes_file, inplace=True)
    if not report.conforms:
        raise ValidationFailed(
            "the graph does not conform to the shapes; the release was not written\n" + validation.format_report(report)
        )
    with progress.stage("writing the release"):
        description = dataset.description(asserted, inferred, dataset.facts_from_release(asserted))
        asserted_file, inferred_file = release.write(out, asserted, inferred, description)
    return Built(asserted_file, inferred_file, len(asserted), len(inferred), report)
