"""offline.guard(): code in the block that connects a socket itself is stopped before anything reaches the address."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from live import Canary

from rcpgraph import offline


@pytest.fixture
def canary() -> Iterator[Canary]:
    """A listener on 127.0.0.1 that nothing in a guarded block may reach."""
    listener = Canary()
    yield listener
    listener.close()


def test_a_direct_socket_connect_is_stopped(canary: Canary) -> None:
    with pytest.raises(offline.NetworkRefused) as caught, offline.guard(), socket.socket() as connection:
        connection.connect(("127.0.0.1", canary.port))
    assert str(caught.value) == f"network access refused: 127.0.0.1:{canary.port}"
    assert canary.close() == 0


def test_a_refusal_caught_in_the_block_still_leaves_it(canary: Canary) -> None:
    tried: list[str] = []
    with pytest.raises(offline.NetworkRefused) as caught, offline.guard(), socket.socket() as connection:
        try:
            connection.connect_ex(("127.0.0.1", canary.port))
        except Exception as error:  # as a library that swallows every error would
            tried.append(type(error).__name__)
    assert (tried, caught.value.target) == (["NetworkRefused"], f"127.0.0.1:{canary.port}")
    assert canary.close() == 0


def test_after_the_block_sockets_connect_again(canary: Canary) -> None:
    with pytest.raises(offline.NetworkRefused), offline.guard():
        socket.create_connection(("127.0.0.1", canary.port))
    socket.create_connection(("127.0.0.1", canary.port)).close()
    assert canary.close() == 1
