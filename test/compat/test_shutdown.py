"""Stopping the server: calls still in flight fail at once instead of hanging, and the server exits.

Python Gradio, stopped while a call runs and another waits, ends the session's data stream (its queue sends
`unexpected_error` "Server stopped unexpectedly.", docs/protocol.md#queue-messages) and exits; the Python client then fails both
calls right away (checked against test/parity/showcase_server.py: `CancelledError` for both, exit after ~1 s).
"""

from __future__ import annotations

import subprocess
from concurrent.futures import CancelledError
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.utils import Status

from compat_helpers import RUNNING, WAIT_S, wait_for_status
from showcase_server import start_showcase

LONG_S = 600  # far longer than the wait bound: finishing these calls is not an option


def test_stopping_the_server_fails_pending_calls_and_exits(make_client, tmp_path: Path) -> None:
    """SIGTERM during a running and a queued call: both calls raise promptly and the process exits."""
    server = start_showcase(tmp_path / "server.log")
    try:
        client: Client = make_client(server.url)
        running = client.submit("running", LONG_S, api_name="/slow_echo")
        wait_for_status(running, RUNNING, "the first call runs")
        waiting = client.submit("waiting", LONG_S, api_name="/slow_echo")
        wait_for_status(waiting, {Status.IN_QUEUE}, "the second call waits")

        server.process.terminate()

        for job in (running, waiting):
            with pytest.raises(Exception) as raised:
                job.result(timeout=WAIT_S)
            assert not isinstance(raised.value, TimeoutError), "the call was left hanging after the server stopped"
            assert isinstance(raised.value, (CancelledError, KeyError, ValueError)), repr(raised.value)
        try:
            server.process.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the server was still running {WAIT_S:.0f} s after SIGTERM:\n{server.log()}")
    finally:
        server.stop()
