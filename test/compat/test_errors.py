"""Errors: handler errors and invalid arguments reach the caller as `AppError`, and the server keeps serving."""

from __future__ import annotations

import re

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from gradio_client.utils import Status

from compat_helpers import WAIT_S


def assert_still_serving(client: Client) -> None:
    """The same client (same session) gets normal answers after an error."""
    assert client.predict(2, 3, api_name="/add") == 5
    assert list(client.submit(3, api_name="/count")) == [1, 2, 3]


@pytest.mark.parametrize("message", ["boom", "Ünïcödé ✗ failure: \"quoted\" & <tags>"])
def test_fail_raises_app_error_with_the_message(client: Client, message: str) -> None:
    """`fail(message)` raises `AppError` carrying exactly that message, as a user-facing Gradio error."""
    with pytest.raises(AppError) as raised:
        client.predict(message, api_name="/fail")
    assert str(raised.value) == message
    assert raised.value.message == message
    assert raised.value.title == "Error"
    assert_still_serving(client)


def test_fail_through_submit(client: Client) -> None:
    """A submitted failing job raises from `result()` and reports an unsuccessful FINISHED status."""
    job = client.submit(message="submitted failure", api_name="/fail")
    with pytest.raises(AppError, match="^submitted failure$"):
        job.result(timeout=WAIT_S)
    status = job.status()
    assert status.code == Status.FINISHED and status.success is False
    assert_still_serving(client)


# (api name, arguments, the parameter the error must name)
WRONG_TYPES = [
    ("/add", ("three", 5), "a"),
    ("/add", (2, "five"), "b"),
    ("/add", (2, 2.5), "b"),
    ("/multiply", ([1], 2), "a"),
    ("/add_and_slice", (0, 1, "not a list"), "c"),
    ("/add_and_slice", (0, 1, ["ok", 7]), "c"),
    ("/count", ("five",), "n"),
    ("/hello", (42,), "name"),
    ("/slow_echo", ("text", "slow"), "seconds"),
]


@pytest.mark.parametrize(("api_name", "args", "parameter"), WRONG_TYPES, ids=[f"{a}-{p}" for a, _, p in WRONG_TYPES])
def test_wrong_argument_type_names_the_parameter(client: Client, api_name: str, args: tuple, parameter: str) -> None:
    """An argument of the wrong JSON type fails that call with an `AppError` naming the parameter."""
    with pytest.raises(AppError) as raised:
        client.predict(*args, api_name=api_name)
    assert re.search(rf"(?<![\w-]){re.escape(parameter)}(?![\w-])", str(raised.value)), str(raised.value)
    assert_still_serving(client)


def test_errors_do_not_affect_other_clients(make_client) -> None:
    """One client's failing calls leave another client's concurrent calls unaffected."""
    failing, healthy = make_client(), make_client()
    failures = [failing.submit(f"failure {i}", api_name="/fail") for i in range(5)]
    successes = [healthy.submit(i, i, api_name="/multiply") for i in range(5)]
    for i, job in enumerate(failures):
        with pytest.raises(AppError, match=f"^failure {i}$"):
            job.result(timeout=WAIT_S)
    assert [job.result(timeout=WAIT_S) for job in successes] == [i * i for i in range(5)]


def test_client_checks_arguments_against_the_published_parameters(client: Client) -> None:
    """Missing, unknown and duplicated arguments are refused by the client itself, from the server's `/info`."""
    with pytest.raises(TypeError):
        client.predict(a=1, api_name="/add")  # b is required
    with pytest.raises(TypeError):
        client.predict(1, 2, c=3, api_name="/add")  # no parameter c
    with pytest.raises(TypeError):
        client.predict(1, 2, a=1, api_name="/add")  # a given twice
    with pytest.raises(TypeError):
        client.predict(api_name="/slow_echo")  # text is required, seconds is not
    with pytest.raises(ValueError, match="Cannot find a function"):
        client.predict(1, api_name="/no_such_endpoint")
    assert_still_serving(client)
