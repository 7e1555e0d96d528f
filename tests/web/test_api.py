"""``/api/...`` answers with the command line's JSON and its error lines, and reads no file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

pytest.importorskip("starlette", reason="the web extra: pip install 'nevcalc[web]'")

from starlette.testclient import TestClient

from nevcalc.cli import json_document, problem
from nevcalc.web.api import ENDPOINTS, MAX_ROWS, argv_of, respond, without_server_paths
from nevcalc.web.app import STATIC, create_app


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(json_document, problem))


def _cli(*argv: str) -> subprocess.CompletedProcess:
    """``nevcalc ARGV`` in a process of its own (the command line, not the app)."""
    return subprocess.run(
        [sys.executable, "-m", "nevcalc.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},  # this checkout's nevcalc
    )


#: One request per endpoint, and the command line that must print the same document.
SAME = [
    ("/api/charge?vehicle=kia-ev6-77&charger=ionity-350&from=10&to=80&minutes=10",
     ["charge", "kia-ev6-77", "--charger", "ionity-350", "--from", "10", "--to", "80",
      "--minutes", "10"]),
    ("/api/charge?vehicle=kia-ev6-77&charger=ionity-350&ambient=-10degC&precondition=none",
     ["charge", "kia-ev6-77", "--charger", "ionity-350", "--ambient", "-10degC"]),
    ("/api/charge?battery=77kWh&chemistry=nmc811&peak-power=233kW&voltage=800V&gross=false",
     ["charge", "--battery", "77kWh", "--chemistry", "nmc811", "--peak-power", "233kW",
      "--voltage", "800V"]),
    ("/api/charge?vehicle=kia-ev6-77&charger=none&charger-power=150kW&charger-current=300A"
     "&charger-voltage=920V",
     ["charge", "kia-ev6-77", "--charger", "none", "--charger-power", "150kW",
      "--charger-current", "300A", "--charger-voltage", "920V"]),
    ("/api/charge?vehicle=kia-ev6-77&charger=ac-11kw&ambient=-15&cabin=21degC&heat-pump=true",
     ["charge", "kia-ev6-77", "--charger", "ac-11kw", "--ambient", "-15", "--cabin", "21degC",
      "--heat-pump"]),
    ("/api/trip?vehicle=kia-ev6-77&route=winter-motorway-1000",
     ["trip", "kia-ev6-77", "--route", "winter-motorway-1000"]),
    ("/api/trip?vehicle=vw-id4-77&route=winter-motorway-1000&cabin=19degC&heat-pump=false",
     ["trip", "vw-id4-77", "--route", "winter-motorway-1000", "--cabin", "19degC",
      "--no-heat-pump"]),
    ("/api/cost?vehicle=kia-ev6-77&ambient=-5&heat-pump=true",
     ["cost", "kia-ev6-77", "--ambient", "-5", "--heat-pump"]),
    ("/api/compare?vehicle=kia-ev6-77&vehicle=byd-han-l&charger=ionity-350",
     ["compare", "kia-ev6-77", "byd-han-l", "--charger", "ionity-350"]),
    ("/api/range?vehicle=kia-ev6-77&chemistry=solid-state&keep=mass&heat-pump=true&ambient=-10",
     ["range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass", "--heat-pump",
      "--ambient", "-10"]),
    ("/api/health?chemistry=lfp&climate=oslo&km-per-year=20000km&fleet-correction=false",
     ["health", "lfp", "--climate", "oslo", "--km-per-year", "20000km", "--lab-cells"]),
    ("/api/cost?vehicle=byd-han-l&years=8&currency=EUR",
     ["cost", "byd-han-l", "--years", "8", "--currency", "EUR"]),
    ("/api/trend?growth=25%25&until=2040", ["trend", "--growth", "25%", "--until", "2040"]),
    ("/api/scenarios", ["scenario", "list"]),
    ("/api/scenario/solid-state", ["scenario", "run", "solid-state"]),
    ("/api/specs/charger", ["specs", "list", "charger"]),
]  # fmt: skip


def test_every_endpoint_has_a_case():
    asked = {re.match(r"/api/(\w+)", url).group(1) for url, _ in SAME}
    assert asked == set(ENDPOINTS)


@pytest.mark.parametrize(("url", "argv"), SAME, ids=[u for u, _ in SAME])
def test_the_api_answers_with_the_json_of_the_command_line(client, url, argv):
    res = client.get(url)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "application/json"
    out = _cli(*argv, "--json")
    assert out.returncode == 0, out.stderr
    assert res.json() == json.loads(out.stdout)


def test_the_charge_document_carries_its_curve(client):
    doc = client.get("/api/charge?vehicle=kia-ev6-77&charger=ionity-350&ambient=-10").json()
    curve = doc["curve"]
    n = len(curve["soc"]["values"])
    assert n > 10
    assert {len(curve[k]["values"]) for k in ("time", "power", "temperature")} == {n}
    assert len(curve["limit"]) == n
    assert curve["soc"]["values"][0] == pytest.approx(10)
    assert curve["soc"]["values"][-1] == pytest.approx(80)
    assert max(curve["power"]["values"]) == pytest.approx(doc["peak_power"]["value"], rel=1e-3)
    assert curve["temperature"]["values"][0] == pytest.approx(-10)  # arrives at the air's
    assert "cold cell" in curve["limit"]  # a cold pack's current is held back at first


#: (request, command line): both refused, with the same line.
REFUSED = [
    ("/api/charge?vehicle=kia-ev6-77&from=5000", ["charge", "kia-ev6-77", "--from", "5000"]),
    ("/api/charge?vehicle=kia-ev6-77&to=80kWh", ["charge", "kia-ev6-77", "--to", "80kWh"]),
    ("/api/charge?vehicle=no-such-car", ["charge", "no-such-car"]),
    ("/api/charge?vehicle=kia-ev6-77&ambient=-10&precondition=soon",
     ["charge", "kia-ev6-77", "--ambient", "-10", "--precondition", "soon"]),
    ("/api/charge?vehicle=kia-ev6-77&precondition=on-arrival",
     ["charge", "kia-ev6-77", "--precondition", "on-arrival"]),
    ("/api/charge?vehicle=kia-ev6-77&battery=77kWh",
     ["charge", "kia-ev6-77", "--battery", "77kWh"]),
    ("/api/charge?battery=77kWh&year=2050", ["charge", "--battery", "77kWh", "--year", "2050"]),
    ("/api/health", ["health"]),
    ("/api/health?chemistry=lfp&km-per-year=1e9km", ["health", "lfp", "--km-per-year", "1e9km"]),
    ("/api/range?vehicle=kia-ev6-77&chemistry=lfp", ["range", "kia-ev6-77", "--chemistry", "lfp"]),
    ("/api/trend?until=1990", ["trend", "--until", "1990"]),
    ("/api/cost?vehicle=kia-ev6-77&currency=XYZ", ["cost", "kia-ev6-77", "--currency", "XYZ"]),
    ("/api/specs/spaceship", ["specs", "list", "spaceship"]),
    ("/api/scenario/no-such-claim", ["scenario", "run", "no-such-claim"]),
]  # fmt: skip


@pytest.mark.parametrize(("url", "argv"), REFUSED, ids=[u for u, _ in REFUSED])
def test_a_bad_request_gets_the_line_of_the_command_line(client, url, argv):
    res = client.get(url)
    out = _cli(*argv, "--json")
    assert out.returncode in (1, 2) and out.stdout == ""
    lines = [line.removeprefix("nevcalc: error: ") for line in out.stderr.splitlines()]
    assert res.status_code == (400 if out.returncode == 2 else 422)
    # the same line, with the server's folders named as the page names them
    assert res.json() == {"error": without_server_paths("; ".join(lines))}
    assert "Traceback" not in res.text


#: Requests refused by the API itself: no command runs.
OWN = [
    ("/api/charge?vehicle=specs/vehicles/kia-ev6-77.toml", "parameter vehicle: "),
    ("/api/charge?vehicle=kia-ev6-77.toml", "is a file path"),
    ("/api/range?vehicle=kia-ev6-77&cycle=/etc/passwd", "parameter cycle: "),
    ("/api/range?vehicle=kia-ev6-77&cycle=my-cycle.csv", "is a file path"),
    ("/api/trip?vehicle=kia-ev6-77&stations=55km%20../x.toml", "holds a file path"),
    ("/api/trip?vehicle=kia-ev6-77&distance=1000km&stations=55km%20EVIL.TOML",
     "holds a file path"),
    ("/api/trip?vehicle=kia-ev6-77&distance=1000km&chargers=Evil.Toml%20every%2060km",
     "holds a file path"),
    ("/api/charge?vehicle=kia-ev6-77&plot=out.png", "unknown parameter 'plot'"),
    ("/api/charge?vehicle=kia-ev6-77&json=1", "unknown parameter 'json'"),
    ("/api/trend?data=/etc/passwd", "unknown parameter 'data'"),
    ("/api/scenario/x?csv=1", "unknown parameter 'csv'"),
    ("/api/charge?vehicle=kia-ev6-77&vehicle=byd-han-l", "parameter vehicle: given twice"),
    ("/api/charge?vehicle=--help", "is not a vehicle name"),
    ("/api/charge?vehicle=kia-ev6-77&gross=perhaps", "is not true or false"),
    ("/api/sweep?spec=x", "no endpoint /api/sweep"),
    ("/api/scenario/__init__", "is not a scenario name"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "line"), OWN, ids=[u for u, _ in OWN])
def test_a_request_for_a_file_or_an_unknown_option_is_refused(client, url, line):
    res = client.get(url)
    assert res.status_code == 400
    assert line in res.json()["error"]


def test_a_sweep_sized_comparison_is_refused(client):
    chargers = ["ionity-350", "tesla-v3", "ccs-50kw", "xpeng-s5"]
    cars = ("kia-ev6-77", "byd-han-l", "xiaomi-su7", "vw-id3-58")
    q = "&".join([*(f"vehicle={v}" for v in cars),
                  *(f"charger={c}" for c in chargers)])  # fmt: skip
    res = client.get(f"/api/compare?{q}")
    assert res.status_code == 400
    assert res.json()["error"].startswith(f"16 rows (vehicles x chargers) is a sweep; at most "
                                          f"{MAX_ROWS}")  # fmt: skip
    assert client.get("/api/compare?vehicle=kia-ev6-77&charger=ionity-350").status_code == 200


def test_names_become_arguments_and_options_become_options():
    argv = argv_of("charge", [("vehicle", "kia-ev6-77"), ("ambient", "-10"), ("gross", "no")])
    assert argv == ["charge", "kia-ev6-77", "--ambient=-10"]
    assert argv_of("range", [("heat-pump", "false")]) == ["range", "--no-heat-pump"]
    assert argv_of("scenario", [("name", "solid-state")]) == ["scenario", "run", "solid-state"]


def test_a_bug_is_a_500_with_one_line_not_a_traceback():
    def broken(argv):
        raise ZeroDivisionError("float division\nby zero")

    status, body = respond("trend", [], broken, problem)
    assert status == 500
    line = json.loads(body)["error"]
    assert line.startswith("internal error ZeroDivisionError: float division by zero")
    assert "\n" not in line


def test_other_pages_and_methods_get_json_errors(client):
    res = client.get("/nothing-here")
    assert res.status_code == 404 and res.json() == {"error": "no such page: /nothing-here"}
    res = client.post("/api/charge?vehicle=kia-ev6-77")
    assert res.status_code == 405 and "only GET" in res.json()["error"]
    res = client.get("/api/scenario/solid-state/extra")
    assert res.status_code == 404 and "error" in res.json()
    res = client.get("/api/charge/kia-ev6-77")
    assert res.status_code == 404 and res.json() == {"error": "no endpoint /api/charge/kia-ev6-77"}


def test_a_page_bound_to_this_machine_answers_only_requests_addressed_to_it():
    app = create_app(json_document, problem, allowed_hosts=["127.0.0.1", "localhost"])
    local = TestClient(app, base_url="http://127.0.0.1:8765")
    assert local.get("/api/trend").status_code == 200
    other = TestClient(app, base_url="http://attacker.example")
    assert other.get("/api/trend").status_code == 400


def test_a_page_bound_to_the_ipv6_loopback_answers_its_bracketed_address():
    """A browser opening http://[::1]:8765/ sends ``Host: [::1]:8765``."""
    app = create_app(json_document, problem, allowed_hosts=["::1", "localhost", "127.0.0.1"])
    assert TestClient(app, base_url="http://[::1]:8765").get("/api/trend").status_code == 200
    res = TestClient(app, base_url="http://attacker.example:8765").get("/api/trend")
    assert res.status_code == 400
    assert "attacker.example" in res.json()["error"] and "::1" in res.json()["error"]


def test_the_page_and_its_files_are_served_and_need_no_internet(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name in ("index.html", "app.js", "style.css"):
        text = (STATIC / name).read_text(encoding="utf-8")
        # the SVG namespace is a name, not an address fetched
        outside = set(re.findall(r"https?://[^\s\"'`)]+", text)) - {"http://www.w3.org/2000/svg"}
        assert not outside, f"{name} refers to {outside}"
        assert client.get(f"/static/{name}").status_code == 200
    assert re.search(r'<script src="/static/app.js"', page.text)


def test_the_static_files_are_package_data():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    data = pyproject["tool"]["setuptools"]["package-data"]["nevcalc"]
    assert "web/static/*" in data
    extras = pyproject["project"]["optional-dependencies"]
    assert any(x.startswith("starlette") for x in extras["web"])
    assert any("web" in x for x in extras["test"] if x.startswith("nevcalc["))


def test_requests_beyond_the_most_in_progress_are_refused_not_queued():
    """With room for two requests, a third arriving while two are computed gets a 503 at
    once, and the page answers again when they are done."""
    import threading
    import time

    started, release = threading.Semaphore(0), threading.Event()

    def slow(argv):
        started.release()
        release.wait(10)
        return "{}"

    client = TestClient(create_app(slow, problem, working=2, most_requests=2))
    codes = []
    threads = [threading.Thread(target=lambda: codes.append(
        client.get("/api/trend").status_code)) for _ in range(2)]  # fmt: skip
    for t in threads:
        t.start()
    for _ in range(2):
        assert started.acquire(timeout=10)
    t0 = time.perf_counter()
    res = client.get("/api/trend")
    assert res.status_code == 503 and "busy" in res.json()["error"]
    assert time.perf_counter() - t0 < 5  # refused at once, not after the others
    release.set()
    for t in threads:
        t.join(10)
    assert codes == [200, 200]
    assert client.get("/api/trend").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/" + "a" * 50_000, "/" + "a" * 50_000, "/api/charge/" + "a" * 50_000]
)
def test_a_long_unknown_path_is_echoed_cut_to_one_short_line(client, path):
    res = client.get(path)
    assert res.status_code in (400, 404)
    line = res.json()["error"]
    assert len(line) < 400 and "50,0" in line  # the length is named, the path is not repeated


def test_a_trip_with_more_stations_than_a_plan_needs_is_refused_like_the_command_line(client):
    """A station every 1 km over 1000 km (999 stations) took seconds of a worker's time; it
    is refused at once with the line ``nevcalc trip`` prints, which names the bound."""
    import time

    from nevcalc.routes import MAX_STATIONS

    t0 = time.perf_counter()
    res = client.get("/api/trip?vehicle=kia-ev6-77&distance=1000km&speed=120km/h"
                     "&chargers=ionity-350%20every%201km")  # fmt: skip
    assert time.perf_counter() - t0 < 1.0
    assert res.status_code == 400
    line = res.json()["error"]
    assert "chargers" in line and "999 stations" in line
    assert f"at most {MAX_STATIONS}" in line and "space them wider" in line
    out = _cli("trip", "kia-ev6-77", "--distance", "1000km", "--speed", "120km/h",
               "--chargers", "ionity-350 every 1km", "--json")  # fmt: skip
    assert out.returncode == 2
    assert out.stderr.strip().removeprefix("nevcalc: error: ") == line


def test_a_trip_at_the_most_stations_is_answered_in_well_under_a_second(client):
    """The bound's worst case: every station within the car's range of every other."""
    import time

    from nevcalc.routes import MAX_STATIONS

    client.get("/api/trip?vehicle=kia-ev6-77&route=motorway-1000")  # the specs read once
    url = (f"/api/trip?vehicle=kia-ev6-77&distance={MAX_STATIONS + 1}km&speed=120km/h"
           "&chargers=ionity-350%20every%201km&start=30%25")  # fmt: skip
    t0 = time.perf_counter()
    res = client.get(url)
    took = time.perf_counter() - t0
    assert res.status_code == 200, res.text
    assert len(res.json()["route"]["stations"]) == MAX_STATIONS
    assert res.json()["stops"], "the car charges on the way"
    assert took < 0.8, f"{took:.2f} s"


#: Requests whose command line names the folders it searched or the file it read.
NAMES_FILES = [
    ("/api/charge?vehicle=no-such-car", ["charge", "no-such-car"]),
    ("/api/scenario/no-such-claim", ["scenario", "run", "no-such-claim"]),
    ("/api/trip?vehicle=kia-ev6-77&route=no-such-road", ["trip", "kia-ev6-77", "--route",
                                                          "no-such-road"]),
    ("/api/range?vehicle=kia-ev6-77&cycle=no-such-cycle", ["range", "kia-ev6-77", "--cycle",
                                                           "no-such-cycle"]),
    ("/api/health?chemistry=lfp&climate=no-such-town", ["health", "lfp", "--climate",
                                                         "no-such-town"]),
]  # fmt: skip


@pytest.mark.parametrize(("url", "argv"), NAMES_FILES, ids=[u for u, _ in NAMES_FILES])
def test_an_error_line_of_the_api_shows_no_server_path(client, url, argv):
    """The command line names the folders by their paths (the user's own); the page names
    the shipped folder ``specs`` and shows no folder of the server's file system."""
    import os
    from pathlib import Path

    from nevcalc.io import BUNDLED_SPECS

    line = client.get(url).json()["error"]
    for folder in (BUNDLED_SPECS, Path.cwd()):
        assert str(folder) not in line and os.path.realpath(folder) not in line, line
    assert not re.search(r"(^|[\s'\"(,])/\w", line), line  # no absolute path at all
    assert "specs/" in line
    out = _cli(*argv, "--json")
    assert str(BUNDLED_SPECS) in out.stderr  # the command line's message is unchanged


def test_a_missing_vehicle_names_the_spec_folders_not_their_paths(client):
    line = client.get("/api/charge?vehicle=no-such-car").json()["error"]
    assert line == ("no vehicle named 'no-such-car' in ./specs/vehicles, specs/vehicles "
                    "(`nevcalc specs list vehicle` lists them)")  # fmt: skip


def test_a_bug_naming_a_server_file_shows_only_the_files_name():
    def broken(argv):
        raise PermissionError(13, "Permission denied", "/srv/nevcalc/cache/tables.bin")

    status, body = respond("trend", [], broken, problem)
    line = json.loads(body)["error"]
    assert status == 500 and "'tables.bin'" in line and "/srv" not in line
