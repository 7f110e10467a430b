"""`predict`: every showcase endpoint answers positional and keyword calls with the values the README's showcase table promises."""

from __future__ import annotations

from typing import Any

import pytest
from gradio_client import Client

NESTED_JSON = {
    "text": "Grüße, 世界! ✓ 🎉",
    "escapes": 'quote " backslash \\ newline \n tab \t',
    "numbers": [0, -1, 2.5, 1e-7, 12345678901],
    "flags": [True, False, None],
    "nested": {"list": [[1, 2], [], [{"deep": {"deeper": ["ünïcödé"]}}]], "empty": {}},
    "ключ": "значение",
}

# (api name, positional args, keyword args, expected result); both calling styles are run for each case.
CASES: list[tuple[str, tuple, dict[str, Any], Any]] = [
    ("/hello", ("World",), {"name": "World"}, "Hello, World!"),
    ("/hello", ("Zoë 🌍",), {"name": "Zoë 🌍"}, "Hello, Zoë 🌍!"),
    ("/add", (3, 5), {"a": 3, "b": 5}, 8),
    ("/add", (-7, 2), {"a": -7, "b": 2}, -5),
    ("/multiply", (6, 7), {"a": 6, "b": 7}, 42),
    ("/multiply", (-3, 0), {"a": -3, "b": 0}, 0),
    ("/add_and_slice", (1, 3, ["a", "b", "c", "d"]), {"a": 1, "b": 3, "c": ["a", "b", "c", "d"]}, (4, ["b", "c"])),
    ("/add_and_slice", (0, 0, ["x"]), {"a": 0, "b": 0, "c": ["x"]}, (0, [])),
    ("/count", (4,), {"n": 4}, 4),
    ("/spell", ("hello",), {"text": "hello"}, "hello"),
    ("/slow_echo", ("default pause",), {"text": "default pause"}, "default pause"),
    ("/slow_echo", ("short pause", 0.2), {"text": "short pause", "seconds": 0.2}, "short pause"),
    ("/slow_echo", ("no pause", 0), {"text": "no pause", "seconds": 0}, "no pause"),
    ("/echo_json", (NESTED_JSON,), {"value": NESTED_JSON}, NESTED_JSON),
    ("/echo_json", (["ä", 1, None, {"k": []}],), {"value": ["ä", 1, None, {"k": []}]}, ["ä", 1, None, {"k": []}]),
    ("/echo_json", ("just a string",), {"value": "just a string"}, "just a string"),
    ("/echo_json", (2.5,), {"value": 2.5}, 2.5),
    ("/echo_json", (None,), {"value": None}, None),
]


def case_id(case: tuple) -> str:
    api_name, args, _, _ = case
    return f"{api_name[1:]}{args!r}"[:60]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_predict_positional(client: Client, case: tuple) -> None:
    """`client.predict(*args, api_name=...)` returns the endpoint's value (a tuple for two outputs)."""
    api_name, args, _, expected = case
    assert client.predict(*args, api_name=api_name) == expected


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_predict_keyword(client: Client, case: tuple) -> None:
    """`client.predict(name=value, ..., api_name=...)` binds by the parameter names the server publishes."""
    api_name, _, kwargs, expected = case
    assert client.predict(**kwargs, api_name=api_name) == expected


def test_predict_mixed_positional_and_keyword(client: Client) -> None:
    """Positional and keyword arguments can be combined, and a default can be overridden by name."""
    assert client.predict(2, b=9, api_name="/multiply") == 18
    assert client.predict("mixed", seconds=0.1, api_name="/slow_echo") == "mixed"


def test_two_outputs_come_back_as_a_tuple(client: Client) -> None:
    """`add_and_slice` has two outputs, so the client returns a 2-tuple of (sum, slice)."""
    result = client.predict(2, 5, ["p", "q", "r", "s", "t", "u"], api_name="/add_and_slice")
    assert isinstance(result, tuple)
    assert result == (7, ["r", "s", "t"])


def test_echo_json_preserves_types_and_key_order(client: Client) -> None:
    """JSON goes through unchanged: same types (int stays int, float stays float) and the same key order."""
    result = client.predict(NESTED_JSON, api_name="/echo_json")
    assert result == NESTED_JSON
    assert list(result) == list(NESTED_JSON)
    assert [type(n) for n in result["numbers"]] == [type(n) for n in NESTED_JSON["numbers"]]


def test_predict_by_fn_index(client: Client) -> None:
    """Calling by `fn_index` (the dependency id from `/config`) reaches the same endpoint as its api name."""
    fn_index = next(i for i, endpoint in client.endpoints.items() if endpoint.api_name == "/add")
    assert client.predict(3, 5, fn_index=fn_index) == 8


def test_large_payload_round_trips(client: Client) -> None:
    """A multi-megabyte JSON value (strings with newlines, a long list) survives the SSE framing unchanged."""
    value = {"text": "line\n\nbreak ✓ " * 100_000, "items": list(range(50_000)), "nested": [{"k": "v" * 1000}] * 200}
    assert client.predict(value, api_name="/echo_json") == value
