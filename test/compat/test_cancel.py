"""`job.cancel()`: a waiting job is removed and never runs; a running job is stopped; the rest carries on.

`slow_echo` runs one call at a time, so a long call that kept running (or a removed call that ran anyway) would hold
up every later call: a later call completing within the wait bound is the evidence.

What the client reports for a cancelled job: `status().code == CANCELLED`, and `result()` raises. Which exception is
a race inside gradio_client: the server acknowledges the cancel with a `process_completed`, and whichever of the
client's two helper threads wins decides: `CancelledError` (its cancel watcher), an error from the acknowledgement
(its stream reader read it first), or `ValueError("Did not expect 2 tasks to be done.")` (both at once).
Python Gradio acknowledges with `output: {}`, which the reader turns into `KeyError("Could not find 'data' key…")`;
nest-gradio acknowledges with an error payload (`"error": "Cancelled."`), which it turns into `AppError`.

These tests use a server of their own, so a failure cannot leave the shared server busy for the other tests.
"""

from __future__ import annotations

from concurrent.futures import CancelledError

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from gradio_client.client import Job
from gradio_client.utils import Status

from compat_helpers import RUNNING, WAIT_S, wait_for_status, wait_until

LONG_S = 600  # far longer than any wait bound below: such a call must never be left running


def assert_cancelled(job: Job) -> None:
    """What the Python client reports for a job it cancelled (see the module docstring for the three outcomes)."""
    assert job.status().code == Status.CANCELLED
    with pytest.raises((CancelledError, AppError, ValueError)) as raised:
        job.result(timeout=WAIT_S)
    if raised.type is AppError:
        assert str(raised.value) == "Cancelled."
    elif raised.type is ValueError:
        assert "Did not expect 2 tasks to be done" in str(raised.value)
    assert job.done()
    assert job.status().code == Status.CANCELLED


def test_cancel_waiting_job_removes_it(make_client, own_showcase_url: str) -> None:
    """Cancelling a queued `slow_echo` removes it: it never runs, and the jobs around it still complete."""
    runner_client, queued_client = make_client(own_showcase_url), make_client(own_showcase_url)
    runner = runner_client.submit("runner", 1.5, api_name="/slow_echo")
    wait_for_status(runner, RUNNING, "the first call runs")

    doomed = queued_client.submit("never runs", LONG_S, api_name="/slow_echo")
    wait_for_status(doomed, {Status.IN_QUEUE}, "the call to cancel waits in the queue")
    after = queued_client.submit("after", 0.2, api_name="/slow_echo")
    wait_until(
        lambda: after.status().code == Status.IN_QUEUE and after.status().rank == 1,
        "the last call waits behind the one to cancel",
    )

    assert doomed.cancel() is True
    assert_cancelled(doomed)

    assert runner.result(timeout=WAIT_S) == "runner"
    # Had the cancelled call run, "after" would still be waiting for its LONG_S seconds.
    assert after.result(timeout=WAIT_S) == "after"
    assert queued_client.predict("same session still works", 0.1, api_name="/slow_echo") == "same session still works"


def test_cancel_running_job_stops_it(make_client, own_showcase_url: str) -> None:
    """Cancelling a running `slow_echo` stops it on the server: the next queued call gets the slot and completes."""
    long_client, next_client = make_client(own_showcase_url), make_client(own_showcase_url)
    long_job = long_client.submit("long", LONG_S, api_name="/slow_echo")
    wait_for_status(long_job, RUNNING, "the long call runs")
    next_job = next_client.submit("next", 0.2, api_name="/slow_echo")
    wait_for_status(next_job, {Status.IN_QUEUE}, "the next call waits for the long one")

    assert long_job.cancel() is True
    assert_cancelled(long_job)

    # Had the long call kept its slot, "next" would wait LONG_S seconds.
    assert next_job.result(timeout=WAIT_S) == "next"
    # The cancelling client's session is clean: its next calls (same session) run normally.
    assert long_client.predict("again", 0.1, api_name="/slow_echo") == "again"
    assert long_client.predict(2, 3, api_name="/add") == 5


def test_cancel_one_of_several_jobs_of_one_client(make_client, own_showcase_url: str) -> None:
    """Cancelling one waiting job of a client leaves that client's other jobs (same session) untouched.

    Python Gradio differs here: its cancel also stops every *running* call of that endpoint in the session
    (docs/protocol.md#cancellation step 1), so "first" would never answer. The reference leaves the choice open;
    nest-gradio cancels only the given event, which is what a client user expects.
    """
    client: Client = make_client(own_showcase_url)
    first = client.submit("first", 1.0, api_name="/slow_echo")
    wait_for_status(first, RUNNING, "the first call runs")
    doomed = client.submit("doomed", LONG_S, api_name="/slow_echo")
    wait_for_status(doomed, {Status.IN_QUEUE}, "the call to cancel waits")
    last = client.submit("last", 0.2, api_name="/slow_echo")
    wait_for_status(last, {Status.IN_QUEUE}, "the last call waits")

    doomed.cancel()
    assert_cancelled(doomed)
    assert first.result(timeout=WAIT_S) == "first"
    assert last.result(timeout=WAIT_S) == "last"
    streamed = client.submit(3, api_name="/count")
    assert list(streamed) == [1, 2, 3]
