"""A small HTTP/1.1 load generator: N concurrent clients, each sending one request after another.

Standard library only (asyncio streams), one connection per request as gunicorn's sync workers
close every connection anyway. Each client loops for the given seconds; the result gives the
completed requests per second, the latency percentiles and the status codes seen.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int] = field(default_factory=dict)
    body_bytes: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(99)


def _request_bytes(host: str, port: int, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close", "Accept-Encoding: identity"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


async def _one(host: str, port: int, payload: bytes) -> tuple[int, int]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(payload)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    head, _sep, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, len(body)


async def _run(host: str, port: int, path: str, headers: dict[str, str], clients: int, seconds: float,
               warmup: float) -> LoadResult:
    payload = _request_bytes(host, port, path, headers)
    started = time.perf_counter()
    measure_from = started + warmup
    stop_at = measure_from + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    body = 0

    async def client() -> None:
        nonlocal body
        while True:
            begin = time.perf_counter()
            if begin >= stop_at:
                return
            try:
                status, size = await _one(host, port, payload)
            except OSError:
                status, size = 0, 0
            end = time.perf_counter()
            if measure_from <= end <= stop_at:  # completed inside the measured window
                latencies.append((end - begin) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
                body = size

    await asyncio.gather(*(client() for _ in range(clients)))
    return LoadResult(len(latencies), seconds, latencies, statuses, body)


def drive(host: str, port: int, path: str, *, headers: dict[str, str] | None = None, clients: int = 50,
          seconds: float = 3.0, warmup: float = 0.5) -> LoadResult:
    """`clients` concurrent clients on `path` for `warmup` + `seconds`; only the last `seconds` count."""
    return asyncio.run(_run(host, port, path, headers or {}, clients, seconds, warmup))
