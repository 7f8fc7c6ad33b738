"""A conventional SSE server, only for comparison in bench/fanout.py.

The textbook way: a FastAPI ``StreamingResponse`` per client, fed by its own
``asyncio.Queue`` and generator; each event is still encoded once. The
fan-out benchmark runs it with the same clients and load to show what the
API server's direct hand-out buys.

    python bench/support/baseline_sse.py --redis-url redis://127.0.0.1:6379/0
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import sys
from collections.abc import AsyncIterator

import redis.asyncio as aioredis
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse, StreamingResponse


def build(redis_url: str) -> FastAPI:
    queues: set[asyncio.Queue[bytes]] = set()
    subscribed = asyncio.Event()
    seq = 0

    async def follow() -> None:
        nonlocal seq
        client = aioredis.from_url(redis_url)
        pubsub = client.pubsub()
        await pubsub.subscribe("update")
        subscribed.set()
        async for message in pubsub.listen():
            if message["type"] != "message":
                continue
            seq += 1
            frame = b"id: %d\nevent: update\ndata: %s\n\n" % (seq, message["data"])
            for queue in list(queues):
                queue.put_nowait(frame)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(follow())
        yield
        task.cancel()

    app = FastAPI(lifespan=lifespan)

    @app.get("/ready")
    async def ready() -> JSONResponse:
        return JSONResponse({}, status_code=200 if subscribed.is_set() else 503)

    @app.get("/events")
    async def events() -> StreamingResponse:
        queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=256)

        async def stream() -> AsyncIterator[bytes]:
            queues.add(queue)
            try:
                yield b"retry: 3000\n\n"
                while True:
                    yield await queue.get()
            finally:
                queues.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream")

    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", required=True, help="Redis/Valkey to subscribe to")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = any)")
    args = parser.parse_args()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    sock.listen(4096)
    print(f"API server listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(build(args.redis_url), log_level="warning", access_log=False,
                            backlog=4096)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
