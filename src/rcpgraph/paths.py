"""Where rcpgraph finds its files: the checkout it runs in, else the copies shipped in the wheel."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SOURCE_NAME = "annex-b-rcp-development-policy-coherence.txt"
RELEASE_NAME = "rcpgraph.ttl"
INFERRED_NAME = "rcpgraph-inferred.ttl"
VOID_NAME = "void.ttl"


@dataclass(frozen=True)
class Layout:
    """The folders of one rcpgraph tree (a checkout, or the resources inside the wheel)."""

    root: Path
    is_checkout: bool

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "rcp.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def qc_dir(self) -> Path:
        return self.root / "ontology" / "qc"

    @property
    def source_dir(self) -> Path:
        return self.root / "data" / "source"

    @property
    def source_file(self) -> Path:
        return self.source_dir / SOURCE_NAME

    @property
    def checksum_file(self) -> Path:
        return self.source_dir / "SHA256SUMS"

    @property
    def curation_dir(self) -> Path:
        return self.root / "data" / "curation"

    @property
    def release_dir(self) -> Path:
        return self.root / "data" / "release"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def release_files(self, release_dir: Path | None = None) -> tuple[Path, Path]:
        """The asserted and the inferred release files."""
        folder = release_dir or self.release_dir
        return folder / RELEASE_NAME, folder / INFERRED_NAME


def query_files(folder: Path) -> list[Path]:
    """The files queries read: the asserted and inferred release and its statistics (void.ttl), which must exist."""
    from rcpgraph.errors import InputError

    wanted = [folder / RELEASE_NAME, folder / INFERRED_NAME, folder / VOID_NAME]
    missing = next((path for path in wanted if not path.is_file()), None)
    if missing is not None:
        raise InputError(f"release not found: {missing} (run `rcpgraph build`)")
    return wanted


def _is_checkout(folder: Path) -> bool:
    return (
        (folder / "pyproject.toml").is_file()
        and (folder / "ontology" / "rcp.ttl").is_file()
        and (folder / "data" / "curation").is_dir()
    )


def locate(start: Path | None = None) -> Layout:
    """The checkout containing `start` (default: the working directory), else the packaged resources.

    `RCPGRAPH_HOME` names a tree explicitly; an editable install falls back to its own checkout.
    """
    home = os.environ.get("RCPGRAPH_HOME")
    if home:
        return Layout(Path(home).resolve(), is_checkout=True)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_checkout(folder):
            return Layout(folder, is_checkout=True)
    package = Path(__file__).resolve().parent
    if _is_checkout(package.parents[1]):
        return Layout(package.parents[1], is_checkout=True)
    return Layout(package / "resources", is_checkout=False)
