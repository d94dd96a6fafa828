"""The w3id.org redirect rules (deploy/w3id/.htaccess) send each kind of IRI to the service route that answers it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "https://rcpgraph.example.org"
RULE = re.compile(r"^RewriteRule\s+(\S+)\s+(\S+)\s+\[R=(\d+),L\]$")


def rules() -> list[tuple[re.Pattern[str], str, int]]:
    """The RewriteRules of the .htaccess, as Python patterns, targets and statuses."""
    lines = (ROOT / "deploy" / "w3id" / ".htaccess").read_text(encoding="utf-8").splitlines()
    found = [RULE.match(line.strip()) for line in lines if line.startswith("RewriteRule")]
    assert all(found), "every RewriteRule is of the form RewriteRule PATTERN TARGET [R=NNN,L]"
    return [(re.compile(m.group(1)), m.group(2), int(m.group(3))) for m in found if m]


def redirect(path: str) -> tuple[str, int]:
    """Where w3id.org sends https://w3id.org/rcpgraph/PATH (the first rule that matches, as Apache does)."""
    for pattern, target, status in rules():
        match = pattern.match(path)
        if match:
            return re.sub(r"\$(\d)", lambda group, found=match: found.group(int(group.group(1))), target), status
    raise AssertionError(f"no rule for {path}")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("id/process/midsa", 303),
        ("id/response/sacm/founding-documents/annotation/1", 303),
        ("ontology", 302),
        ("ontology/0.1.0", 302),
        ("sparql", 307),
        ("api/queries/groups", 302),
        ("download/rcpgraph.ttl", 302),
        ("void", 302),
        ("", 302),
    ],
)
def test_each_iri_reaches_a_route_that_answers(client: TestClient, path: str, status: int) -> None:
    target, code = redirect(path)
    assert code == status and target.startswith(SERVICE + "/")
    assert client.get(target.removeprefix(SERVICE), headers={"Accept": "*/*"}).status_code == 200
