"""A socket-level guard that records, and refuses, every attempt to reach a host outside this machine.

`gradio_client` talks HTTP through httpx; whatever library a background thread uses (telemetry, Hugging Face Hub
lookups), every outgoing TCP/UDP connection ends in `socket.getaddrinfo` (name lookup) and/or
`socket.socket.connect` / `connect_ex`. The guard wraps those three, process-wide and for every thread:

* a name lookup of anything but a loopback name/address is recorded and fails with `socket.gaierror`;
* a connect to a non-loopback IP address is recorded and fails with `ConnectionRefusedError`;
* every connect (loopback included) is also logged with the connecting thread, so tests can count the connections
  one client thread opens (e.g. heartbeat reconnects).

Nothing outside is ever contacted while the guard is installed: the attempt is refused before any packet is sent.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_loopback_host(host: object) -> bool:
    """True for loopback names and addresses (127.0.0.0/8, ::1, `localhost`)."""
    if host is None:  # getaddrinfo(None, port) means the local wildcard/loopback address
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip("[]").lower().rstrip(".")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Connection:
    """One `connect` call: the address and the identity of the thread that made it."""

    host: str
    port: int
    thread_ident: int | None


class NetworkGuard:
    """Install once per process; `outside_attempts` lists every refused host (name or address)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.outside_attempts: list[str] = []
        self.connections: list[Connection] = []
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        self._installed = True
        original_getaddrinfo = socket.getaddrinfo
        original_connect = socket.socket.connect
        original_connect_ex = socket.socket.connect_ex
        guard = self

        def guarded_getaddrinfo(host, *args, **kwargs):
            if not is_loopback_host(host):
                guard._refuse(str(host))
                raise socket.gaierror(socket.EAI_NONAME, f"network guard: lookup of outside host {host!r} refused")
            return original_getaddrinfo(host, *args, **kwargs)

        def check_address(sock: socket.socket, address) -> None:
            if sock.family not in (socket.AF_INET, socket.AF_INET6):
                return  # Unix sockets and the like stay on this machine
            host, port = address[0], address[1]
            if not is_loopback_host(host):
                guard._refuse(str(host))
                raise ConnectionRefusedError(f"network guard: connection to outside host {host!r} refused")
            with guard._lock:
                guard.connections.append(Connection(str(host), int(port), threading.get_ident()))

        def guarded_connect(sock, address):
            check_address(sock, address)
            return original_connect(sock, address)

        def guarded_connect_ex(sock, address):
            check_address(sock, address)
            return original_connect_ex(sock, address)

        socket.getaddrinfo = guarded_getaddrinfo
        socket.socket.connect = guarded_connect
        socket.socket.connect_ex = guarded_connect_ex

    def _refuse(self, host: str) -> None:
        with self._lock:
            self.outside_attempts.append(host)

    def take_outside_attempts(self) -> list[str]:
        """Return and forget the refused outside hosts recorded so far."""
        with self._lock:
            attempts, self.outside_attempts = self.outside_attempts, []
        return attempts

    def connection_count(self) -> int:
        """A mark for `connections_from_thread(..., since=mark)`."""
        with self._lock:
            return len(self.connections)

    def connections_from_thread(self, thread_ident: int | None, since: int = 0) -> list[Connection]:
        """The connections a thread opened after the mark `since` (thread idents are reused, so take a mark)."""
        with self._lock:
            return [c for c in self.connections[since:] if c.thread_ident == thread_ident]


GUARD = NetworkGuard()
