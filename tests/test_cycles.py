"""Drive cycles: the shipped traces and malformed user files."""

from __future__ import annotations

import pytest

from nevcalc.cycles import list_cycles, load_cycle, read_cycle_csv
from nevcalc.errors import SpecError

# distance and duration from shared/data/cycles/PROVENANCE.md (sum of v dt)
PUBLISHED = {
    "udds": (11.990, 1369),
    "hwfet": (16.507, 765),
    "us06": (12.888, 600),
    "ftp75": (17.769, 1874),
    "wltc-3b": (23.266, 1800),
    "cltc-p": (14.480, 1800),
    "nedc": (11.013, 1180),
    "cadc-urban": (4.870, 993),
    "cadc-rural": (17.273, 1081),
    "cadc-motorway-130": (28.736, 1067),
    "cadc-motorway-150": (29.545, 1067),
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_shipped_cycles_match_their_provenance(name):
    c = load_cycle(name)
    km, seconds = PUBLISHED[name]
    assert c.distance / 1e3 == pytest.approx(km, abs=0.0015)
    assert c.duration == pytest.approx(seconds)
    assert c.source and c.kind


def test_every_indexed_cycle_loads_and_aliases_work():
    assert {n for n, _ in list_cycles()} == set(PUBLISHED)
    assert load_cycle("wltc").name == "wltc-3b"
    assert load_cycle("CLTC").name == "cltc-p"


def _write(tmp_path, text, name="c.csv", bom=False):
    path = tmp_path / name
    data = text.encode()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def test_byte_order_mark_and_units_in_the_header(tmp_path):
    # (the last row takes the car back down: a cycle ends at its start height)
    path = _write(
        tmp_path, "time [s],speed [km/h],grade [%]\n0,0,0\n1,36,1\n2,72,2\n3,50,-4\n", bom=True
    )
    c = read_cycle_csv(path)
    assert c.speed[1] == pytest.approx(10.0)
    assert c.grade[2] == pytest.approx(0.02)
    mph = read_cycle_csv(_write(tmp_path, "time [min],speed [mph]\n0,0\n1,60\n", "m.csv"))
    assert mph.time[1] == pytest.approx(60.0)
    assert mph.speed[1] == pytest.approx(26.8224)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("time [s],speed [km/h]\n0,0\n2,5\n1,6\n", "time does not increase"),
        ("time [s],speed [km/h]\n0,0\n1,5\n1,6\n", "time does not increase"),
        ("time [s],speed [km/h]\n0,0\n1,-5\n", "negative speed"),
        ("time,speed\n0,0\n1,5\n", "has no unit"),
        ("time [s],speed [kg]\n0,0\n1,5\n", "speed"),
        ("time [s],speed [km/h]\n0,0\n1,fast\n", "not a number"),
        ("time [s],speed [km/h]\n0,0\n1,nan\n", "not finite"),
        ("", "empty"),
        ("time [s],speed [km/h]\n0,0\n", "at least two rows"),
        ("time [s],velocity [km/h]\n0,0\n1,1\n", "unknown column"),
        ("time [s]\n0\n1\n", "no 'speed"),
    ],
)
def test_malformed_cycles_get_clear_errors(tmp_path, text, expected):
    with pytest.raises(SpecError) as err:
        read_cycle_csv(_write(tmp_path, text))
    assert expected in str(err.value)
    assert str(tmp_path) in str(err.value)


def test_range_cli_reads_a_user_cycle(tmp_path, run_cli):
    path = _write(
        tmp_path, "time [s],speed [km/h]\n" + "".join(f"{t},{min(t, 50)}\n" for t in range(200))
    )
    code, out, err = run_cli("range", "vw-id4-77", "--cycle", str(path), "--json")
    assert code == 0, err
    assert '"range"' in out


def _trace(n=200, speed=lambda t: min(t, 50), grade=None, dt=1):
    head = "time [s],speed [km/h]" + (",grade [%]" if grade else "") + "\n"
    rows = [f"{t * dt},{speed(t)}" + (f",{grade(t)}" if grade else "") + "\n" for t in range(n)]
    return head + "".join(rows)


# (label, text, words of the one-line error; the file is always named)
BOUNDS = [
    ("all-zero", _trace(speed=lambda t: 0), ["column speed", "covers 0 m", "at least 10 m"]),
    ("too-short", "time [s],speed [km/h]\n0,0\n1,30\n", ["lasts 1 s", "must last 2 s"]),
    ("too-long", _trace(n=3, dt=400000), ["column time", "7 days"]),
    (
        "grade-minus-100",
        _trace(grade=lambda t: -100),
        ["line 2, column grade", "-100%", "+-45%"],
    ),
    ("grade-plus-50", _trace(grade=lambda t: 50 if t == 7 else 0), ["line 9, column grade"]),
    (
        "net-downhill",
        _trace(n=600, grade=lambda t: -10),
        ["column grade", "lower than it starts", "net -10.0%", "add the way back"],
    ),
    (
        "1e6-kmh",
        _trace(speed=lambda t: 1e6 if t > 5 else 0),
        ["line 8, column speed", "above the 400 km/h"],
    ),
    ("500-kmh", _trace(speed=lambda t: 500 if t > 50 else 0), ["line 53, column speed"]),
    (
        "rocket",
        _trace(speed=lambda t: 0 if t < 10 else 300),
        ["line 12, column speed", "g; a car reaches at most 1.5 g"],
    ),
    ("inf", _trace(speed=lambda t: "inf" if t == 3 else 10), ["line 5, column speed", "finite"]),
    (
        "long-number",
        _trace(speed=lambda t: "1" * 5000 if t == 3 else 10),
        ["line 5", "not a number"],
    ),
    (
        "short-row",
        _trace(grade=lambda t: 0).replace("\n4,4,0\n", "\n4\n"),
        ["line 6, column speed"],
    ),
    ("twice", "time [s],speed [km/h],speed [mph]\n0,0,0\n1,1,1\n", ["'speed' appears twice"]),
    ("long-unit", "time [s],speed [" + "k" * 200 + "]\n0,0\n1,1\n", ["column speed", "unit"]),
]


@pytest.mark.parametrize(("label", "text", "words"), BOUNDS, ids=[b[0] for b in BOUNDS])
def test_cycle_columns_are_bounded_naming_line_and_column(tmp_path, run_cli, label, text, words):
    path = _write(tmp_path, text, f"{label}.csv")
    with pytest.raises(SpecError) as err:
        read_cycle_csv(path)
    (line,) = err.value.problems
    assert line.startswith(f"{path}: "), line
    for w in words:
        assert w in line, line
    code, out, err_text = run_cli("range", "vw-id4-77", "--cycle", str(path))
    assert code == 1 and "Traceback" not in out + err_text
    assert f"nevcalc: error: {path}: " in err_text


def test_too_many_rows_are_refused_before_work(tmp_path, monkeypatch):
    from nevcalc import cycles

    monkeypatch.setattr(cycles, "MAX_ROWS", 100)
    path = _write(tmp_path, _trace(n=500), "long.csv")
    with pytest.raises(SpecError, match=r"long\.csv: more than 100 rows; resample"):
        read_cycle_csv(path)


def test_cycle_files_of_other_kinds_are_refused(tmp_path, run_cli):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _, err = run_cli("range", "vw-id4-77", "--cycle", str(fifo))
    assert code == 1 and f"{fifo}: is a named pipe (FIFO)" in err
    code, _, err = run_cli("range", "vw-id4-77", "--cycle", "/dev/zero")
    assert code == 1 and "/dev/zero: is a character device" in err
    u16 = _write(tmp_path, "", "u16.csv")
    u16.write_bytes(_trace().encode("utf-16"))
    code, _, err = run_cli("range", "vw-id4-77", "--cycle", str(u16))
    assert code == 1 and "UTF-16" in err


def test_a_cycle_symlink_leading_out_of_the_spec_folder_is_refused(tmp_path):
    outside = _write(tmp_path, _trace(), "real.csv")
    folder = tmp_path / "specs" / "cycles"
    folder.mkdir(parents=True)
    (folder / "mine.csv").symlink_to(outside)
    with pytest.raises(SpecError, match="outside the spec folder"):
        load_cycle("mine")
    assert read_cycle_csv(outside).distance > 0  # the path itself, given explicitly, is fine


def test_a_cycle_within_every_bound_is_accepted(tmp_path):
    text = _trace(
        n=400,
        speed=lambda t: 100 if 60 < t < 340 else min(t, 60),
        grade=lambda t: 4 if t < 200 else -4,
    )
    c = read_cycle_csv(_write(tmp_path, text, "hilly.csv"))
    assert c.grade.max() == pytest.approx(0.04)
    assert c.distance > 0 and c.duration == pytest.approx(399)


def test_a_slight_net_descent_is_refused_because_range_repeats_the_cycle(tmp_path):
    # -1 % net: repeated, the descent alone would carry a car 10 000 km and more
    down = _write(tmp_path, _trace(n=600, grade=lambda t: -1), "down.csv")
    with pytest.raises(SpecError, match=r"net -1\.0%.*net grade must lie within \+-0\.5%"):
        read_cycle_csv(down)
    loop = _write(tmp_path, _trace(n=600, grade=lambda t: -1 if t < 300 else 1), "loop.csv")
    assert abs(float(read_cycle_csv(loop).grade.mean())) < 0.005


@pytest.mark.parametrize("seed", range(12))
def test_consumption_stays_positive_on_any_cycle_within_the_bounds(tmp_path, seed):
    """Random cycles within every bound: the model gives a finite, positive consumption."""
    import numpy as np

    from nevcalc.scenario.road import drive_range, load_road_vehicle

    rng = np.random.default_rng(seed)
    n = int(rng.integers(60, 2000))
    top = rng.uniform(5, 200)
    k = int(rng.integers(1, 4))
    v = top / 2 * (1 - np.cos(np.linspace(0, 2 * np.pi * k, n)))  # km/h: k trips
    v = np.clip(v + rng.normal(0, 1, n), 0, None)
    v[0] = 0
    g = rng.uniform(-8, 8) * np.sin(np.linspace(0, 2 * np.pi * rng.integers(1, 4), n))
    g -= np.sum(g[1:] * v[1:]) / np.sum(v[1:])  # net grade zero (within the bound)
    text = "time [s],speed [km/h],grade [%]\n" + "".join(
        f"{t},{v[t]:.3f},{g[t]:.4f}\n" for t in range(n)
    )
    path = _write(tmp_path, text, "random.csv")
    read_cycle_csv(path)  # within every bound
    name = ["vw-id4-77", "nio-et7-150", "fastsim-renault-zoe-ze50"][seed % 3]
    r = drive_range(load_road_vehicle(name), str(path))
    assert np.isfinite(r.consumption) and r.consumption > 0
    assert np.isfinite(r.range) and r.range > 0


@pytest.fixture
def cycle_cache(tmp_path, monkeypatch):
    """An empty spec cache; no cycle read here stays in the process's cycle cache."""
    from nevcalc import cycles

    monkeypatch.setenv("NEVCALC_CACHE", str(tmp_path / "cache"))
    cycles._load_named.cache_clear()
    yield tmp_path / "cache"
    cycles._load_named.cache_clear()


def test_a_cached_cycle_is_the_parsed_one_exactly(cycle_cache):
    import numpy as np

    from nevcalc import cycles

    first = load_cycle("udds")
    assert list(cycle_cache.iterdir())  # the checked SI columns were kept
    cycles._load_named.cache_clear()
    again = load_cycle("udds")  # from the cache entry
    parsed = read_cycle_csv(first.path)
    for key in ("time", "speed", "grade"):
        assert np.array_equal(getattr(again, key), getattr(parsed, key))
        assert not getattr(again, key).flags.writeable
    assert (again.name, again.title, again.source) == (first.name, first.title, first.source)


def test_a_cycle_cache_entry_of_other_code_or_a_broken_one_is_not_read(cycle_cache, monkeypatch):
    import json

    from nevcalc import cycles

    true_km = load_cycle("udds").distance / 1e3
    (entry,) = cycle_cache.iterdir()
    doc = json.loads(entry.read_text())
    doc["parsed"]["speed"] = [2 * x for x in doc["parsed"]["speed"]]
    entry.write_text(json.dumps(doc))
    cycles._load_named.cache_clear()
    assert load_cycle("udds").distance / 1e3 == pytest.approx(2 * true_km)  # it is read
    # other parsing or checking code: the entry is stale
    monkeypatch.setattr(cycles, "_CYCLE_CODE", (*cycles._CYCLE_CODE, "another-parser"))
    cycles._load_named.cache_clear()
    assert load_cycle("udds").distance / 1e3 == pytest.approx(true_km)
    for broken in ("{not json", '{"stamp": 1}', json.dumps({**doc, "parsed": {"time": "x"}})):
        entry.write_text(broken)
        cycles._load_named.cache_clear()
        assert load_cycle("udds").distance / 1e3 == pytest.approx(true_km)


def test_a_cycle_prints_one_line_and_a_table():
    from tests.helpers import check_html, check_repr

    c = load_cycle("wltc")
    # WLTC class 3b: 1800 s, 23.27 km (UN GTR 15); mean 46.5 km/h, top 131.3 km/h
    check_repr(c, "Cycle", "wltc", "30 min", "23.27 km", "mean 46.5", "top 131.3 km/h")
    check_html(c, "23.27 km", "1,801")


def test_mean_speed_is_the_published_one():
    # WLTC class 3b: 23.27 km in 1800 s, 46.5 km/h (UN GTR 15)
    assert load_cycle("wltc").mean_speed * 3.6 == pytest.approx(46.5, abs=0.05)
