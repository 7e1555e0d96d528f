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
    path = _write(tmp_path, "time [s],speed [km/h],grade [%]\n0,0,0\n1,36,1\n2,72,2\n", bom=True)
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
