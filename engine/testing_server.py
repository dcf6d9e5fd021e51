"""A real HTTP server for tests: the app under uvicorn on 127.0.0.1 in a thread (re-exported by
:mod:`engine.testing` as ``LiveServer`` and ``free_port``)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any, Literal


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _QuickServer:
    """uvicorn's server, made quick to stop for tests: it checks for the stop every 10 ms instead of
    every 100 ms, and (without a lifespan) closes its connections at once instead of first sleeping
    a tenth of a second for them. A suite starts and stops a server for hundreds of tests."""

    def __new__(cls, config: Any) -> Any:
        import asyncio

        import uvicorn

        class Quick(uvicorn.Server):
            async def main_loop(self) -> None:
                counter = 0
                while not await self.on_tick(counter):
                    counter = (counter + 1) % 864000  # on_tick refreshes the Date header every 10th tick
                    await asyncio.sleep(0.01)

            async def shutdown(self, sockets: Any = None) -> None:
                if config.lifespan != "off":  # the app's own shut-down (e.g. its scheduler) must run
                    await super().shutdown(sockets)
                    return
                for server in self.servers:
                    server.close()
                for connection in list(self.server_state.connections):
                    connection.shutdown()
                for server in self.servers:
                    await server.wait_closed()

        return Quick(config)


class LiveServer:
    """Run an ASGI app with uvicorn on 127.0.0.1 in a thread; ``url`` is its base URL.

    ``lifespan="on"`` runs the app's start-up and shut-down (e.g. the in-process scheduler of an
    app built with ``create_app(..., scheduler=True)``)."""

    def __init__(self, app: Any, *, port: int | None = None, lifespan: Literal["auto", "on", "off"] = "off") -> None:
        import uvicorn

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan=lifespan)
        self.server = _QuickServer(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
