#!/usr/bin/env python3
"""Holds idle keep-alive connections open, for scenario idle of bench/run.

    hold_connections.py PORT COUNT READY_FILE

Opens COUNT connections to 127.0.0.1:PORT, sends one `GET /health/live` on each and reads the
answer (so each is a kept-alive connection that has served a request, as a browser's or a
client pool's would be), then writes the number held to READY_FILE and keeps them all open
until it is terminated. Raises its own open-file limit to the hard limit first.
"""
import resource
import signal
import socket
import sys

REQUEST = b"GET /health/live HTTP/1.1\r\nHost: bench\r\n\r\n"


def main() -> None:
    port, count, ready_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    held = []
    for _ in range(count):
        conn = socket.create_connection(("127.0.0.1", port), timeout=10)
        conn.sendall(REQUEST)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                sys.exit(f"connection {len(held) + 1} closed before an answer")
            answer += chunk
        if not answer.startswith(b"HTTP/1.1 200"):
            sys.exit(f"connection {len(held) + 1}: {answer.splitlines()[0]!r}")
        held.append(conn)
    with open(ready_file, "w", encoding="utf-8") as ready:
        ready.write(f"{len(held)}\n")
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
