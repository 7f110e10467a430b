"""Generator endpoints: `submit` + iteration yields every streamed value in order; `outputs()` keeps them all."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client
from gradio_client.utils import Status

from compat_helpers import WAIT_S, codes, status_history


@pytest.mark.parametrize("n", [1, 5, 40])
def test_count_streams_every_number_in_order(client: Client, n: int) -> None:
    """Iterating a `count` job gives 1, 2, ..., n; `outputs()` holds the same list; the result is n."""
    job = client.submit(n, api_name="/count")
    streamed = list(job)
    assert streamed == list(range(1, n + 1))
    assert job.outputs() == list(range(1, n + 1))
    assert job.result(timeout=WAIT_S) == n
    assert job.status().code == Status.FINISHED


@pytest.mark.parametrize("text", ["hello", "Grüße, 世界 🌍!", "a  b\n\"c\"\\"])
def test_spell_streams_growing_prefixes(client: Client, text: str) -> None:
    """Each `spell` message is one letter longer (sent as diffs on the wire); the client rebuilds every prefix."""
    job = client.submit(text=text, api_name="/spell")
    prefixes = [text[:i] for i in range(1, len(text) + 1)]
    assert list(job) == prefixes
    assert job.outputs() == prefixes
    assert job.result(timeout=WAIT_S) == text


def test_stream_statuses_show_iterating_then_finished(client: Client) -> None:
    """A streaming job is queued, starts, reports ITERATING once per value, and ends FINISHED successfully."""
    job = client.submit(3, api_name="/count")
    assert job.result(timeout=WAIT_S) == 3
    history = status_history(job)
    assert codes(history) == [
        Status.IN_QUEUE,
        Status.PROCESSING,
        Status.ITERATING,
        Status.ITERATING,
        Status.ITERATING,
        Status.FINISHED,
    ]
    assert history[-1].success is True


def test_interleaved_streams_on_one_client_stay_separate(client: Client) -> None:
    """Several streams of one client share its data stream; each job still gets exactly its own values."""
    texts = ["first stream", "second: ümlaut", "third ✓✓✓"]
    jobs = [client.submit(25, api_name="/count")] + [client.submit(t, api_name="/spell") for t in texts]
    assert jobs[0].result(timeout=WAIT_S) == 25
    assert jobs[0].outputs() == list(range(1, 26))
    for job, text in zip(jobs[1:], texts):
        assert job.result(timeout=WAIT_S) == text
        assert job.outputs() == [text[:i] for i in range(1, len(text) + 1)]


def test_iterating_streams_from_threads(client: Client) -> None:
    """Iterating several jobs concurrently from threads gives each thread its job's full sequence."""

    def run(n: int) -> list[int]:
        return list(client.submit(n, api_name="/count"))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, [5, 10, 15, 20]))
    assert results == [list(range(1, n + 1)) for n in [5, 10, 15, 20]]
