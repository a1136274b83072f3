"""A loopback load generator: N concurrent keep-alive connections for a fixed time, reporting
requests per second and latency percentiles as JSON. Run in its own process:

    python -m bench.load URL [--connections 32] [--seconds 8] [--post BODY_JSON]

``--post`` with a JSON array sends its items in turn, one per request (writes spread over many
groups instead of one).
"""

import argparse
import asyncio
import itertools
import json
import statistics
import time
from collections.abc import Iterator

import httpx


async def worker(
    client: httpx.AsyncClient,
    url: str,
    bodies: Iterator[str] | None,
    until: float,
    out: list[float],
    errors: list[int],
) -> None:
    while time.perf_counter() < until:
        start = time.perf_counter()
        if bodies is None:
            response = await client.get(url)
        else:
            body = next(bodies)  # one event loop: the workers take turns, no lock needed
            response = await client.post(url, content=body, headers={"content-type": "application/json"})
        out.append(time.perf_counter() - start)
        if response.status_code >= 400:
            errors.append(response.status_code)


def _bodies(body: str | None) -> Iterator[str] | None:
    """The bodies to send in turn: the items of a JSON array, else the one body."""
    if body is None:
        return None
    parsed = json.loads(body)
    return itertools.cycle([json.dumps(item) for item in parsed] if isinstance(parsed, list) else [body])


async def run(url: str, connections: int, seconds: float, body: str | None, token: str | None) -> dict[str, float]:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    errors: list[int] = []
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as client:
        await client.get(url) if body is None else None  # warm the connection and the route
        start = time.perf_counter()
        until = start + seconds
        bodies = _bodies(body)
        await asyncio.gather(*(worker(client, url, bodies, until, latencies, errors) for _ in range(connections)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--post", default=None, help="JSON body (an array: its items in turn): POST instead of GET")
    parser.add_argument("--token", default=None, help="API key sent as a bearer token")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.url, args.connections, args.seconds, args.post, args.token))))


if __name__ == "__main__":
    main()
