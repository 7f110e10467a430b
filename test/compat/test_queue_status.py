"""Queue status as the client shows it: ranks of waiting jobs, and the progress and log updates of a running one.

`slow_echo` runs one call at a time (its default concurrency limit is 1), so extra calls wait in the queue.
"""

from __future__ import annotations

from gradio_client import Client
from gradio_client.utils import Status, StatusUpdate

from compat_helpers import RUNNING, WAIT_S, codes, status_history, wait_for_status, wait_until

STEPS = 10  # the progress steps slow_echo reports (the README's showcase table / the handler's contract)


def assert_lifecycle(history: list[StatusUpdate]) -> None:
    """Queued first, then started, then running updates, and finished successfully last."""
    seen = codes(history)
    assert seen[0] == Status.IN_QUEUE, seen
    started = seen.index(Status.PROCESSING)
    assert set(seen[:started]) == {Status.IN_QUEUE}, seen
    assert set(seen[started + 1 : -1]) <= {Status.PROGRESS, Status.LOG}, seen
    assert seen[-1] == Status.FINISHED and history[-1].success is True, seen


def test_three_queued_jobs_show_ranks(client: Client) -> None:
    """With three `slow_echo` calls at once, one runs while the other two wait with ranks 0 and 1; all finish.

    One call runs first so the server knows slow_echo's mean duration: waiting calls then get a numeric ETA.
    """
    assert client.predict("measure", 0.2, api_name="/slow_echo") == "measure"
    texts = ["one", "two", "three"]
    jobs = [client.submit(text, 2.0, api_name="/slow_echo") for text in texts]

    def snapshot() -> list[StatusUpdate] | None:
        statuses = [job.status() for job in jobs]
        running = [s for s in statuses if s.code in RUNNING]
        waiting = [s for s in statuses if s.code == Status.IN_QUEUE]
        if len(running) == 1 and len(waiting) == 2 and {s.rank for s in waiting} == {0, 1}:
            return statuses
        if any(job.done() for job in jobs):
            statuses = [job.status() for job in jobs]
            raise AssertionError(f"a job finished before the ranks 0 and 1 were seen: {statuses}")
        return None

    statuses = wait_until(snapshot, "one job runs and two wait with ranks 0 and 1")
    for status in statuses:
        if status.code == Status.IN_QUEUE:
            assert status.queue_size is not None and status.rank < status.queue_size, status
            assert status.eta is not None and status.eta > 0, status

    assert [job.result(timeout=WAIT_S) for job in jobs] == texts
    histories = [status_history(job) for job in jobs]
    for history in histories:
        assert_lifecycle(history)

    # The job that waited at rank 1 moves up to rank 0 before it starts.
    history = next(h for h, s in zip(histories, statuses) if s.code == Status.IN_QUEUE and s.rank == 1)
    ranks = [u.rank for u in history if u.code == Status.IN_QUEUE]
    assert ranks[-1] == 0 and 1 in ranks, (ranks, codes(history))


def test_slow_echo_reports_progress_and_an_info_log(client: Client) -> None:
    """A running `slow_echo` sends an info LOG and PROGRESS updates with progress_data (steps of 10)."""
    text = "progress ✓"
    job = client.submit(text, 1.0, api_name="/slow_echo")
    assert job.result(timeout=WAIT_S) == text
    history = status_history(job)
    assert_lifecycle(history)

    logs = [u.log for u in history if u.code == Status.LOG]
    assert len(logs) == 1, logs
    message, level = logs[0]
    assert level == "info"
    assert text in message

    progress = [u.progress_data for u in history if u.code == Status.PROGRESS]
    assert progress, f"no PROGRESS update in {codes(history)}"
    indexes = []
    for progress_data in progress:
        assert progress_data is not None and len(progress_data) == 1, progress_data
        unit = progress_data[0]
        assert (unit.length, unit.unit, unit.desc) == (STEPS, "steps", "Echoing"), unit
        assert unit.index is not None and 1 <= unit.index <= STEPS, unit
        assert unit.progress is None or 0 <= unit.progress <= 1, unit
        indexes.append(unit.index)
    assert indexes == sorted(indexes), indexes

    seen = codes(history)
    assert seen.index(Status.PROCESSING) < seen.index(Status.LOG) < seen.index(Status.PROGRESS), seen


def test_status_while_running_carries_progress(client: Client) -> None:
    """Polling `job.status()` during a `slow_echo` shows PROGRESS with the current step."""
    job = client.submit("poll me", 1.5, api_name="/slow_echo")
    status = wait_for_status(job, {Status.PROGRESS}, "job.status() shows PROGRESS")
    assert status.progress_data and status.progress_data[0].length == STEPS
    assert job.result(timeout=WAIT_S) == "poll me"
    finished = job.status()
    assert finished.code == Status.FINISHED and finished.success is True
