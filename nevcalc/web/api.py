"""``/api/...``: a request's query string read as a command's options, answered as ``--json``.

Each endpoint is a command of the command line (:data:`ENDPOINTS`): the query
``/api/charge?vehicle=kia-ev6-77&charger=ionity-350&from=10`` is the command
``nevcalc charge kia-ev6-77 --charger=ionity-350 --from=10 --json``, parsed,
bounded and answered by the same function (``nevcalc.cli.json_document``), so the
body is the JSON document that command prints. A request the command would refuse
gets status 400 (a usage problem, exit code 2) or 422 (exit code 1) and
``{"error": "<the line the command prints>"}``; never a traceback.

Safe by default: only the options listed here are read (none that writes a file:
no ``--plot``, ``--csv``, ``-o``; none that reads one: spec, cycle and route
names are names, never paths), and a request that would be a sweep of more than
:data:`MAX_ROWS` rows is refused.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nevcalc.errors import SpecNotFound
from nevcalc.io import BUNDLED_SPECS, check_name, is_path, search_paths
from nevcalc.scenario.compare import DEFAULT_VEHICLES

__all__ = [
    "ENDPOINTS",
    "MAX_ROWS",
    "BadRequest",
    "Endpoint",
    "argv_of",
    "respond",
    "shown_path",
    "without_server_paths",
]

#: Most rows (vehicles x chargers) one request may ask for; more is a sweep (`nevcalc sweep`).
MAX_ROWS = 12
#: Longest query string read, and most parameters in it.
MAX_QUERY = 4096
MAX_PARAMS = 40

# kinds of parameter: text (a quantity or word, read by the command), name (a spec name,
# checked to be a name), names (text that names chargers: 'ionity-350 every 60km'),
# flag (true/false -> --key or nothing), and switches (true/false -> one of two options)
TEXT, NAME, NAMES, FLAG = "text", "name", "names", "flag"


@dataclass(frozen=True)
class Endpoint:
    """One command the API answers.

    Attributes
    ----------
    words : tuple of str
        The command's words (``("scenario", "run")``).
    positional : str or None
        Query key of the command's argument (a spec name), if it takes one.
    options : dict
        Query key -> kind (``"text"``, ``"name"``, ``"names"``, ``"flag"``) or a pair
        of options for true and false (``("--heat-pump", "--no-heat-pump")``).
    many : frozenset of str
        Keys that may be given more than once.
    """

    words: tuple[str, ...]
    positional: str | None = None
    options: dict[str, str | tuple[str, str]] = field(default_factory=dict)
    many: frozenset[str] = frozenset()


_ADHOC = {
    "battery": TEXT,
    "chemistry": NAME,
    "peak-power": TEXT,
    "voltage": TEXT,
    "consumption": TEXT,
    "max-current": TEXT,
    "booster": TEXT,
    "market": TEXT,
    "year": TEXT,
    "body": TEXT,
    "gross": FLAG,
}
_THERMAL = {"ambient": TEXT, "precondition": TEXT}
_CLIMATE = {"cabin": TEXT, "heat-pump": ("--heat-pump", "--no-heat-pump")}
_WINDOW = {"from": TEXT, "to": TEXT}
_FLEET = ("--fleet-correction", "--lab-cells")

#: Path under /api/ -> the command it runs.
ENDPOINTS: dict[str, Endpoint] = {
    "charge": Endpoint(
        ("charge",),
        "vehicle",
        {
            "charger": NAME,
            "charger-power": TEXT,
            "charger-current": TEXT,
            "charger-voltage": TEXT,
            **_WINDOW,
            "minutes": TEXT,
            "add": TEXT,
            **_THERMAL,
            **_CLIMATE,
            **_ADHOC,
        },
    ),
    "trip": Endpoint(
        ("trip",),
        "vehicle",
        {
            "route": NAME,
            "distance": TEXT,
            "speed": TEXT,
            "chargers": NAMES,
            "stations": NAMES,
            "start": TEXT,
            "reserve": TEXT,
            "overhead": TEXT,
            **_THERMAL,
            **_CLIMATE,
            "price": TEXT,
            "mass": TEXT,
            "cd": TEXT,
            **_ADHOC,
        },
    ),
    "compare": Endpoint(
        ("compare",),
        "vehicle",
        {"charger": NAME, **_WINDOW, "minutes": TEXT, "trip": NAME, **_THERMAL, **_CLIMATE},
        many=frozenset({"vehicle", "charger"}),
    ),
    "range": Endpoint(
        ("range",),
        "vehicle",
        {
            "cycle": NAME,
            "chemistry": NAME,
            "keep": TEXT,
            "target-range": TEXT,
            "battery": TEXT,
            "gross": FLAG,
            "body": TEXT,
            "drive": TEXT,
            "length": TEXT,
            "width": TEXT,
            "height": TEXT,
            "mass": TEXT,
            "cd": TEXT,
            "frontal-area": TEXT,
            "motor-power": TEXT,
            "market": TEXT,
            "year": TEXT,
            "ambient": TEXT,
            "precondition": TEXT,
            **_CLIMATE,
        },
    ),
    "health": Endpoint(
        ("health",),
        "chemistry",
        {
            "soc-window": TEXT,
            "efc-per-day": TEXT,
            "km-per-year": TEXT,
            "km-per-day": TEXT,
            "pack": TEXT,
            "consumption": TEXT,
            "charge-rate": TEXT,
            "dc-share": TEXT,
            "dc-rate": TEXT,
            "temperature": TEXT,
            "climate": NAME,
            "temperature-rise": TEXT,
            "fleet-correction": _FLEET,
            "at": TEXT,
            "years": TEXT,
        },
    ),
    "cost": Endpoint(
        ("cost",),
        "vehicle",
        {
            "charger": NAME,
            "years": TEXT,
            "usage": NAME,
            "km-per-year": TEXT,
            "vehicle-price": TEXT,
            "electricity": TEXT,
            "fast-price": TEXT,
            "fast-share": TEXT,
            "discount-rate": TEXT,
            "maintenance": TEXT,
            "value-of-time": TEXT,
            "residual": TEXT,
            "replace-below": TEXT,
            "currency": TEXT,
            "climate": NAME,
            "ambient": TEXT,
            **_CLIMATE,
            "fleet-correction": _FLEET,
        },
    ),
    "trend": Endpoint(("trend",), None, {"until": TEXT, "growth": TEXT}),
    "scenarios": Endpoint(("scenario", "list")),
    "scenario": Endpoint(("scenario", "run"), "name"),
    "specs": Endpoint(("specs", "list"), "kind"),
}

_TRUE = {"", "1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class BadRequest(Exception):
    """A request the API refuses before any command runs (status 400)."""


def _name(key: str, value: str) -> str:
    """``value`` of ``key`` checked to be a spec name, not a path."""
    if is_path(value) or is_path(value, ".csv") or "\\" in value:
        raise BadRequest(
            f"parameter {key}: {_cut(value)} is a file path; the page reads the shipped specs by "
            "name only (`nevcalc specs list`)"
        )
    try:
        return check_name(value, "scenario" if key == "name" else key.replace("-", " "))
    except SpecNotFound as exc:
        raise BadRequest(f"parameter {key}: {exc.problems[0]}") from None


def _names(key: str, value: str) -> str:
    """Text naming chargers (``'ionity-350 every 60km'``): no paths in it."""
    low = value.lower()  # (charger words are read in lower case)
    if any(mark in low for mark in ("/", "\\", ".toml", ".csv")):
        raise BadRequest(
            f"parameter {key}: {_cut(value)} holds a file path; name shipped chargers only, "
            "e.g. 'ionity-350 every 60km'"
        )
    return value


def shown_path(path: str, n: int = 80) -> str:
    """A URL path as an error line shows it: at most ``n`` characters and its length.

    A path is echoed so the user sees what was asked for; a long one (the server
    takes request lines of tens of kB) is cut, so the answer stays one short line.
    """
    return path if len(path) <= n else f"{path[:n]}... ({len(path):,} characters)"


def _cut(text: str, n: int = 60) -> str:
    return repr(text if len(text) <= n else text[:n] + "...")


def _switch(key: str, value: str) -> bool:
    low = value.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise BadRequest(f"parameter {key}: {_cut(value)} is not true or false")


def argv_of(path: str, items: Iterable[tuple[str, str]]) -> list[str]:
    """The command line (without ``nevcalc`` and ``--json``) of a request.

    Parameters
    ----------
    path : str
        Endpoint name, a key of :data:`ENDPOINTS`.
    items : iterable of (str, str)
        The query's keys and values, in order; the endpoint's argument may come
        from the URL path (``/api/scenario/solid-state``) as one of them.

    Raises
    ------
    BadRequest
        An unknown endpoint or key, a key given twice that may not be, a path
        where a name belongs, a flag that is not true or false, too many rows.
    """
    ep = ENDPOINTS.get(path)
    if ep is None:
        raise BadRequest(
            f"no endpoint {shown_path('/api/' + path)}; there are " + _known(ENDPOINTS, "/api/")
        )
    items = list(items)
    if len(items) > MAX_PARAMS:
        raise BadRequest(f"{len(items)} parameters; at most {MAX_PARAMS}")
    seen: dict[str, int] = {}
    args: list[str] = []
    opts: list[str] = []
    for key, value in items:
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1 and key not in ep.many:
            raise BadRequest(f"parameter {key}: given twice; give it once")
        if key == ep.positional:
            args.append(_name(key, value))
            continue
        kind = ep.options.get(key)
        if kind is None:
            known = [ep.positional] if ep.positional else []
            raise BadRequest(
                f"unknown parameter {_cut(key)} for /api/{path}; known: "
                + (", ".join([*known, *ep.options]) or "none")
            )
        if isinstance(kind, tuple):
            opts.append(kind[0] if _switch(key, value) else kind[1])
        elif kind == FLAG:
            if _switch(key, value):
                opts.append(f"--{key}")
        else:
            checked = {NAME: _name, NAMES: _names}.get(kind, lambda _k, v: v)(key, value)
            opts.append(f"--{key}={checked}")
    if path == "compare":
        rows = (len(args) or len(DEFAULT_VEHICLES)) * max(1, seen.get("charger", 0))
        if rows > MAX_ROWS:
            raise BadRequest(
                f"{rows} rows (vehicles x chargers) is a sweep; at most {MAX_ROWS} here "
                "(`nevcalc sweep` runs more)"
            )
    # a name starts with a letter or digit (checked above): never read as an option
    return [*ep.words, *args, *opts]


def _known(names, prefix: str = "") -> str:
    return ", ".join(prefix + n for n in names)


def respond(
    path: str,
    items: Iterable[tuple[str, str]],
    answer: Callable[[list[str]], str],
    problem: Callable[[BaseException, list[str]], tuple[int, list[str]] | None],
) -> tuple[int, str]:
    """Status and JSON body of one request.

    Parameters
    ----------
    path, items
        As :func:`argv_of`.
    answer : callable
        The command line's ``json_document``: argv -> the JSON text of ``--json``.
    problem : callable
        The command line's ``problem``: an exception -> (exit code, message lines).

    Returns
    -------
    (int, str)
        200 and the document; 400 for a usage problem (exit code 2), 422 for
        an answer that cannot be computed (exit code 1), 500 for a bug; the
        body of an error is ``{"error": "<one line>"}``, the command's line with the
        server's folders left out (:func:`without_server_paths`).
    """
    try:
        argv = argv_of(path, items)
    except BadRequest as exc:
        return 400, _error(str(exc))
    try:
        return 200, answer(argv)
    except Exception as exc:  # every failure becomes one line, never a traceback
        found = problem(exc, argv)
        if found is None:
            return 500, _error(without_server_paths(
                f"internal error {type(exc).__name__}: {' '.join(str(exc).split())} (a bug in "
                "nevcalc: please report the request)"
            ))  # fmt: skip
        code, lines = found
        return (400 if code == 2 else 422), _error(without_server_paths("; ".join(lines)))


#: An absolute path left in a line: its folders (at least one) and its last part.
_ABSOLUTE = re.compile(r"(?<![\w.~/])(?:/[^\s/'\"`;,()]+)+/([^\s/'\"`;,()]*)")


def without_server_paths(line: str) -> str:
    """``line`` as a web client sees it: no folder of the server's file system in it.

    The command line names the files it read by their paths, which is right for the
    user at the terminal; a client of the page is shown the spec folders the server
    searches as ``specs`` (the shipped library), ``./specs`` and ``$NEVCALC_SPECS``, so
    a file is named by its path within its spec folder, and any other absolute path by
    its last part.

    Examples
    --------
    >>> from nevcalc.io import BUNDLED_SPECS
    >>> without_server_paths(f"no vehicle named 'x' in {BUNDLED_SPECS / 'vehicles'}")
    "no vehicle named 'x' in specs/vehicles"
    >>> without_server_paths("[Errno 13] Permission denied: '/srv/app/cache/x.bin'")
    "[Errno 13] Permission denied: 'x.bin'"
    """
    cwd = Path.cwd() / "specs"
    shown = {}
    for folder in (BUNDLED_SPECS, *search_paths()):
        name = "specs" if folder == BUNDLED_SPECS else "./specs" if folder == cwd else (
            "$NEVCALC_SPECS")  # fmt: skip
        for text in (str(folder), os.path.realpath(folder)):
            shown.setdefault(text, name)
    for text in sorted(shown, key=len, reverse=True):  # a folder before one that holds it
        line = re.sub(re.escape(text) + r"(?=[/\s'\"`;,()]|$)", shown[text], line)
    return _ABSOLUTE.sub(r"\1", line)


def _error(line: str) -> str:
    return json.dumps({"error": line})
