"""rcpgraph: IOM's Annex B table on Regional Consultative Processes as a linked-data knowledge graph.

The pipeline, one module a stage: `source` reads the table, `curation` loads the editors' files,
`build` makes the asserted graph, `reason` adds the OWL 2 RL entailments, `shapes` validates,
`release` writes the files; `store` and `queries` answer questions over the release.
"""

from rcpgraph.api import KnowledgeGraph, Row, Rows, TruncatedResult, open
from rcpgraph.sparql.workers import MemoryLimit, QueryTimeout

__version__ = "0.1.0"  # the one place of the version: the package's (pyproject.toml), the ontology's, the shapes'

__all__ = ["KnowledgeGraph", "MemoryLimit", "QueryTimeout", "Row", "Rows", "TruncatedResult", "__version__", "open"]
