"""The release is replaced in one step: a write killed at any point leaves one whole release, old or new."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rcpgraph import rdfio
from rcpgraph.errors import InputError

NAMES = ("rcpgraph.ttl", "rcpgraph-inferred.ttl", "void.ttl")
# Two releases of a few hundred kilobytes each, every file of one unlike the other's
OLD = {name: f"# old {name}\n".encode() * 40_000 for name in NAMES}
NEW = {name: f"# new {name}\n".encode() * 40_000 for name in NAMES}
WRITER = """
import sys
from pathlib import Path
from rcpgraph import rdfio
folder = Path(sys.argv[1])
names = ("rcpgraph.ttl", "rcpgraph-inferred.ttl", "void.ttl")
releases = [{name: f"# {age} {name}\\n".encode() * 40_000 for name in names} for age in ("old", "new")]
print("ready", flush=True)
while True:
    for release in releases:
        rdfio.write_folder(folder, release)
"""


def contents(folder: Path) -> dict[str, bytes]:
    """The files of `folder` by name."""
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def leftovers(folder: Path) -> list[str]:
    """What a write left beside `folder`."""
    return sorted(path.name for path in folder.parent.iterdir() if path != folder)


def test_a_write_killed_at_random_points_leaves_one_whole_release(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    chance = random.Random(20261203)
    for _ in range(12):
        rdfio.write_folder(folder, OLD)
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)], stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
        time.sleep(chance.uniform(0.0, 0.3))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        assert contents(folder) in (OLD, NEW)
        rdfio.write_folder(folder, NEW)
        assert (contents(folder), leftovers(folder)) == (NEW, [])


def test_other_files_of_the_folder_stay(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    rdfio.write_folder(folder, OLD)
    (folder / "README").write_bytes(b"kept\n")
    rdfio.write_folder(folder, NEW)
    assert contents(folder) == {**NEW, "README": b"kept\n"}


def test_a_failed_write_leaves_the_release_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "release"
    rdfio.write_folder(folder, OLD)

    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InputError) as caught:
        rdfio.write_folder(folder, NEW)
    assert str(caught.value) == f"{folder}: cannot write the release: No space left on device"
    assert (contents(folder), leftovers(folder)) == (OLD, [])


def test_a_release_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.write_bytes(b"not a folder\n")
    with pytest.raises(InputError) as caught:
        rdfio.write_folder(folder, NEW)
    assert str(caught.value) == f"{folder}: cannot write the release: Not a directory"
    assert folder.read_bytes() == b"not a folder\n" and leftovers(folder) == []
