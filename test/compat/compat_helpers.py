"""Small helpers shared by the compatibility tests (waiting without timing assertions, reading a job's updates)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

from gradio_client.client import Job
from gradio_client.utils import Status, StatusUpdate

T = TypeVar("T")

# Generous bounds for a loaded 2-core machine: they only stop a broken run, they never measure speed.
WAIT_S = 60.0

# What `job.status().code` shows while the handler runs (it reports an info alert and progress steps).
RUNNING = frozenset({Status.PROCESSING, Status.PROGRESS, Status.LOG, Status.ITERATING})


def wait_until(probe: Callable[[], T], what: str, timeout: float = WAIT_S, interval: float = 0.01) -> T:
    """Poll `probe` until it returns a truthy value (returned), or fail saying what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting until {what}")
        time.sleep(interval)


def wait_for_status(job: Job, codes: frozenset[Status] | set[Status], what: str) -> StatusUpdate:
    """Wait until `job.status().code` is one of `codes`; fail early if the job finishes first."""

    def probe() -> StatusUpdate | None:
        status = job.status()
        if status.code in codes:
            return status
        if job.done():
            raise AssertionError(f"the job finished ({status.code}) before {what}")
        return None

    return wait_until(probe, what)


def status_history(job: Job) -> list[StatusUpdate]:
    """Every status update the client received for a finished `job`, in order (via the public `async for`).

    This consumes the job's update queue: call it once per job.
    """
    assert job.done(), "read the history of finished jobs only"

    async def collect() -> list[StatusUpdate]:
        return [update async for update in job if isinstance(update, StatusUpdate)]

    return asyncio.run(collect())


def codes(history: list[StatusUpdate]) -> list[Status]:
    return [update.code for update in history]
