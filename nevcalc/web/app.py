"""The Starlette application of ``nevcalc serve``: the static page and ``/api/...``.

The application is given the function that answers (the command line's
``json_document``) and the one that turns a failure into its line
(``problem``): the page sits beside the command line, not under it, and every
answer takes the command line's one path.

Why Starlette and uvicorn: the page needs a JSON API and a few static files,
nothing more; the two weigh 1.8 MB installed (3.6 MB with anyio and h11, which
they bring) and ``nevcalc serve`` answers its first page about 0.6 s after it
starts, where Panel or Bokeh bring tens of MB and their own JavaScript. The
figures are SVG drawn by plain JavaScript in ``static/app.js``: no charting
library, no CDN, no internet.

An interaction is one request: the command's own parsing, then one evaluation
of one case (the charge view: one charging session marched over SoC, about
50 ms of CPU), with the specs read from the parsed-spec cache.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from nevcalc.errors import NevcalcError
from nevcalc.io import BUNDLED_SPECS, search_shipped_only
from nevcalc.web.api import MAX_QUERY, respond, shown_path

__all__ = ["MOST_REQUESTS", "STATIC", "WORKING", "create_app", "listening_socket", "serve"]

#: The page's files, shipped in the package.
STATIC = Path(__file__).resolve().parent / "static"

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}


def _json(status: int, body: str) -> Response:
    return Response(
        body,
        status_code=status,
        media_type="application/json",
        headers={**_HEADERS, "Cache-Control": "no-store"},
    )


def _error(status: int, line: str) -> Response:
    return _json(status, json.dumps({"error": line}))


def _host_of(header: str) -> str:
    """The host of a Host header, lower case, without its port (``[::1]:8765`` -> ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):  # an IPv6 address is written in brackets, its port after
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class _HostCheck:
    """Answers only requests whose Host header names one of ``hosts``; others get a 400
    with a JSON line that says where the page is (not DNS rebinding's way in)."""

    def __init__(self, app, hosts: list[str]) -> None:
        self.app = app
        self.hosts = list(dict.fromkeys(h.lower().strip("[]") for h in hosts))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            header = Headers(scope=scope).get("host", "")
            if _host_of(header) not in self.hosts:
                line = (
                    f"a request addressed to {shown_path(header, 60)!r}; this page answers "
                    f"requests addressed to {', '.join(self.hosts)} only"
                )
                await _error(400, line)(scope, receive, send)
                return
        await self.app(scope, receive, send)


#: Answers computed at once (more wait their turn): about the machine's cores.
WORKING = max(2, min(8, os.cpu_count() or 2))
#: Requests in progress or waiting at most; more are refused (503) rather than queued.
MOST_REQUESTS = 32


def create_app(
    answer: Callable[[list[str]], str],
    problem: Callable,
    allowed_hosts: list[str] | None = None,
    working: int = WORKING,
    most_requests: int = MOST_REQUESTS,
) -> Starlette:
    """The application: ``/`` the page, ``/static/...`` its files, ``/api/...`` the answers.

    Parameters
    ----------
    answer : callable
        argv -> the JSON text ``nevcalc ARGV --json`` prints (``nevcalc.cli.json_document``).
    problem : callable
        exception, argv -> (exit code, lines) or None (``nevcalc.cli.problem``).
    allowed_hosts : list of str, optional
        Host headers accepted (a page served on 127.0.0.1 answers only requests
        addressed to it, which keeps other web sites' pages from reaching it by
        DNS rebinding); every host when None.
    working : int
        Answers computed at once; the others wait.
    most_requests : int
        Requests in progress or waiting at most: one more is answered 503 at once, so a
        burst of requests cannot pile up work without bound.
    """
    gate = threading.BoundedSemaphore(working)
    count = threading.Lock()
    in_flight = [0]

    def answer_in_turn(*args):
        with gate:
            return respond(*args)

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=_HEADERS)

    async def api(request: Request) -> Response:
        if len(request.url.query) > MAX_QUERY:
            return _error(414, f"a query of {len(request.url.query):,} characters; at most "
                          f"{MAX_QUERY:,}")  # fmt: skip
        path = request.path_params["endpoint"]
        items = list(request.query_params.multi_items())
        arg = request.path_params.get("arg")
        if arg is not None:
            positional = {"scenario": "name", "specs": "kind"}.get(path)
            if positional is None:
                return _error(404, f"no endpoint {shown_path(f'/api/{path}/{arg}')}")
            items.insert(0, (positional, arg))
        with count:
            if in_flight[0] >= most_requests:
                return _error(503, f"the page is busy with {in_flight[0]} requests; try again "
                              "in a moment")  # fmt: skip
            in_flight[0] += 1
        try:
            status, body = await run_in_threadpool(answer_in_turn, path, items, answer, problem)
        finally:
            with count:
                in_flight[0] -= 1
        return _json(status, body)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        what = {404: "no such page", 405: "only GET is answered"}.get(exc.status_code)
        return _error(exc.status_code, f"{what or exc.detail}: {shown_path(request.url.path)}")

    async def server_error(request: Request, exc: Exception) -> Response:
        return _error(500, f"internal error {type(exc).__name__} (a bug in nevcalc: please "
                      "report the request)")  # fmt: skip

    routes = [
        Route("/", index),
        Route("/api/{endpoint}", api),
        Route("/api/{endpoint}/{arg}", api),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = []
    if allowed_hosts is not None:
        middleware.append(Middleware(_HostCheck, hosts=allowed_hosts))
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` and listening, or an OSError naming the address."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    family, kind, proto, _, addr = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    return sock


def _loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def serve(
    host: str,
    port: int,
    answer: Callable[[list[str]], str],
    problem: Callable,
    notice: Callable[[str], None] = print,
) -> None:
    """Serve the page on ``host:port`` until Ctrl-C.

    Names resolve in the shipped library only (:func:`nevcalc.io.search_shipped_only`):
    the server searches neither ``./specs`` of the folder it was started in nor
    ``$NEVCALC_SPECS``, so no request reads a file of the machine's folders.
    """
    import uvicorn

    try:
        sock = listening_socket(host, port)
    except (OSError, UnicodeError) as exc:
        raise NevcalcError(
            f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}; choose "
            "another --port (or --host)"
        ) from None
    search_shipped_only()
    os.chdir(BUNDLED_SPECS)  # (a relative path read by mistake is one of the shipped files)
    hosts = [host, "localhost", "127.0.0.1", "::1"] if _loopback(host) else None
    app = create_app(answer, problem, allowed_hosts=hosts)
    shown = f"[{host}]" if ":" in host else host
    if not _loopback(host):
        notice(f"nevcalc: warning: serving on {host}: other machines on the network can use it")
    notice(f"nevcalc: serving on http://{shown}:{port}/  (Ctrl-C stops)")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
