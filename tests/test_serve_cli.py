"""`rcpgraph serve` on the command line: registered, its options checked, `--help` still fast."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from rcpgraph.cli import COMMANDS, main
from rcpgraph.cli import serve as serve_command
from rcpgraph.serve.settings import Settings, base_url

ROOT = Path(__file__).resolve().parents[1]


def test_serve_is_a_registered_command() -> None:
    assert "serve" in COMMANDS


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "0"], "argument --port: expected a port from 1 to 65535, got '0'"),
        (["--port", "http"], "argument --port: expected a port from 1 to 65535, got 'http'"),
        (["--timeout", "-1"], "argument --timeout: expected a number of seconds above 0, got '-1'"),
        (["--max-rows", "0"], "argument --max-rows: expected a whole number above 0, got '0'"),
        (["--header-timeout", "0"], "argument --header-timeout: expected a number of seconds above 0, got '0'"),
        (["--body-timeout", "x"], "argument --body-timeout: expected a number of seconds above 0, got 'x'"),
        (["--idle-timeout", "inf"], "argument --idle-timeout: expected a number of seconds above 0, got 'inf'"),
        (["--max-connections", "-5"], "argument --max-connections: expected a whole number above 0, got '-5'"),
    ],
)
def test_bad_options_are_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", *argv])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"rcpgraph serve: error: {message}\n"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/x", "https://example.org/kg?", "https://example.org/kg#", "https://example.org/kg/?a=1#top"],
)
def test_a_bad_base_url_is_refused_before_the_server_starts(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_command, "_listen", _must_not_listen)
    assert main(["serve", "--base-url", url]) == 2
    assert capsys.readouterr() == (
        "",
        f"rcpgraph serve: --base-url must be an http or https URL without query or fragment, not {url!r}\n",
    )


def _must_not_listen(host: str, port: int) -> None:
    """Stands for the server's listening socket in a test where the server must not start."""
    raise AssertionError(f"the server was about to listen on {host}:{port}")


def test_a_port_in_use_is_bad_input() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "rcpgraph", "serve", "--port", str(port)]
        run = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT / "src")},
            timeout=60,
            check=False,
        )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == f"rcpgraph serve: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_base_url_maps_w3id_iris() -> None:
    settings = Settings(release=ROOT, base_url=base_url("https://example.org/kg/"))
    assert settings.local("https://w3id.org/rcpgraph/id/process/midsa") == "https://example.org/kg/id/process/midsa"
    assert settings.local("https://w3id.org/rcpgraph/ontology#Event") == "https://example.org/kg/ontology#Event"
    assert settings.local("https://w3id.org/rcpgraphs/x") is None
    assert Settings(release=ROOT).local("https://w3id.org/rcpgraph/id/process/midsa") == "/id/process/midsa"


def test_help_does_not_load_the_web_stack() -> None:
    heavy = "('fastapi', 'uvicorn', 'jinja2', 'rdflib')"
    code = f"import sys; from rcpgraph.cli import parser; parser(); print([m for m in {heavy} if m in sys.modules])"
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    assert run.stdout == "[]\n"
