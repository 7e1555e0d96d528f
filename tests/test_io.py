"""nevcalc.io: the one reader of files (search order, read_*/parse_*, safety rules)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from nevcalc import io
from nevcalc.errors import SpecError, SpecFileError, SpecNotFound

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """./specs in a fresh cwd and two $NEVCALC_SPECS folders."""
    cwd, a, b = tmp_path / "cwd", tmp_path / "a", tmp_path / "b"
    for d in (cwd / "specs", a, b):
        d.mkdir(parents=True)
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("NEVCALC_SPECS", os.pathsep.join([str(a), str(b)]))
    return cwd / "specs", a, b


def _put(root: Path, sub: str, name: str, text: str) -> Path:
    (root / sub).mkdir(parents=True, exist_ok=True)
    p = root / sub / name
    p.write_text(text)
    return p


def test_version_module_agrees_with_pyproject():
    import nevcalc
    from nevcalc._version import __version__

    with (ROOT / "pyproject.toml").open("rb") as fh:
        assert tomllib.load(fh)["project"]["version"] == __version__
    assert nevcalc.__version__ == __version__


def test_modules_that_stamp_caches_read_the_version_module_not_the_package():
    for rel in ("specs/cache.py", "sweeps/plan.py", "surrogate.py"):
        text = (ROOT / "nevcalc" / rel).read_text()
        assert "from nevcalc import __version__" not in text, rel
        assert "from nevcalc._version import __version__" in text, rel


def test_search_order_is_cwd_specs_then_env_folders_then_bundled(folders):
    _cwd_specs, a, b = folders
    paths = io.search_paths()
    assert paths[0] == Path.cwd() / "specs"
    assert paths[1:3] == [a, b]
    assert paths[-1] == io.BUNDLED_SPECS and len(paths) == 4


def test_first_folder_holding_a_name_wins(folders):
    cwd_specs, a, b = folders
    in_b = _put(b, "sweeps", "mine.toml", "x = 1\n")
    assert io.find_sweep("mine") == in_b
    in_a = _put(a, "sweeps", "mine.toml", "x = 2\n")
    assert io.find_sweep("mine") == in_a
    here = _put(cwd_specs, "sweeps", "mine.toml", "x = 3\n")
    assert io.find_sweep("mine") == here
    assert io.read_sweep(io.find_sweep("mine")) == {"x": 3}


def test_bundled_names_resolve_last(folders):
    assert io.find_spec("byd-han-l", "vehicles", "vehicle") == (
        io.BUNDLED_SPECS / "vehicles" / "byd-han-l.toml"
    )
    assert io.find_cycle("wltc-3b").parent == io.BUNDLED_SPECS / "cycles"


def test_list_files_keeps_the_first_match_per_name(folders):
    _cwd_specs, a, b = folders
    _put(b, "scenarios", "s1.toml", "")
    first = _put(a, "scenarios", "s1.toml", "")
    names = dict(io.list_files("scenarios"))
    assert names["s1"] == first


def test_a_missing_name_names_the_folders_and_close_names(folders):
    with pytest.raises(SpecNotFound, match=r"no vehicle named 'byd-han-x' in .*did you mean"):
        io.find_spec("byd-han-x", "vehicles", "vehicle")


@pytest.mark.parametrize("bad", ["a" * 100_000, "../etc/passwd", "x y", "", "é", "-a", 3])
def test_names_are_checked_before_lookup_and_cut_in_messages(bad):
    with pytest.raises(SpecNotFound) as exc:
        io.check_name(bad, "vehicle")
    assert len(str(exc.value)) < 200


def test_a_long_path_is_cut_in_messages():
    with pytest.raises(SpecFileError) as exc:
        io.read_toml("/tmp/" + "d" * 5000 + ".toml")
    assert len(str(exc.value)) < 300


@pytest.mark.parametrize(
    "argv",
    [
        ["charge", "v" * 100_000],
        ["charge", "byd-han-l", "--charger", "c" * 100_000],
        ["range", "byd-han-l", "--cycle", "w" * 100_000],
        ["cost", "byd-han-l", "--usage", "u" * 100_000],
        ["trend", "--data", "d" * 100_000],
    ],
)
def test_cli_echoes_no_long_name_in_full(argv, capsys):
    from nevcalc.cli import main

    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code in (1, 2)
    err = capsys.readouterr().err
    assert 0 < len(err) < 1000, err[:200]
    assert "Traceback" not in err


def test_refuses_what_is_not_a_regular_file(tmp_path):
    with pytest.raises(SpecFileError, match="a character device"):
        io.read_toml("/dev/null")
    with pytest.raises(SpecFileError, match="a folder"):
        io.read_toml(tmp_path)
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(SpecFileError, match="FIFO"):
        io.read_toml(fifo)
    with pytest.raises(SpecFileError, match="no such file"):
        io.read_toml(tmp_path / "none.toml")


def test_size_bound_is_checked_before_reading(tmp_path):
    p = tmp_path / "big.toml"
    p.write_text("x = 1\n" * 100)
    with pytest.raises(SpecFileError, match="larger than"):
        io.read_text(p, 100)
    assert io.read_text(p, 1000).startswith("x = 1")


def test_utf16_nul_and_bad_utf8_are_refused_bom_dropped(tmp_path):
    p = tmp_path / "x.toml"
    p.write_bytes("x = 1\n".encode("utf-16"))
    with pytest.raises(SpecFileError, match="UTF-16"):
        io.read_text(p, 1000)
    p.write_bytes(b"x = 1\x00\n")
    with pytest.raises(SpecFileError, match="NUL"):
        io.read_text(p, 1000)
    p.write_bytes(b"x = '\xff'\n")
    with pytest.raises(SpecFileError, match="not UTF-8"):
        io.read_text(p, 1000)
    p.write_bytes(b"\xef\xbb\xbfx = 1\n")
    assert io.read_toml(p) == {"x": 1}


def test_nesting_is_bounded_before_the_parser():
    deep = "x = " + "[" * 50 + "]" * 50
    with pytest.raises(SpecError, match="nest more than"):
        io.parse_toml(deep, "t")
    assert io.nesting_depth('a = "[[[[" # [[[\nb = [[1]]') == 2
    assert io.parse_toml("a = [[1]]", "t") == {"a": [[1]]}


def test_parse_toml_errors_name_the_source():
    with pytest.raises(SpecError, match=r"^src: not valid TOML"):
        io.parse_toml("a = ", "src")
    with pytest.raises(SpecError, match="empty"):
        io.parse_toml("  \n", "src")


def test_a_symlink_out_of_its_spec_folder_is_refused(folders, tmp_path):
    cwd_specs, _a, _b = folders
    outside = tmp_path / "elsewhere.toml"
    outside.write_text("x = 1\n")
    (cwd_specs / "sweeps").mkdir()
    (cwd_specs / "sweeps" / "evil.toml").symlink_to(outside)
    with pytest.raises(SpecError, match="outside the spec folder"):
        io.find_sweep("evil")
    # the same file given as a path is the caller's choice
    assert io.find_sweep(str(outside)) == outside
    (cwd_specs / "sweeps" / "broken.toml").symlink_to(tmp_path / "gone.toml")
    with pytest.raises(SpecError, match="broken symlink"):
        io.find_sweep("broken")


def test_a_symlink_inside_its_folder_is_read(folders):
    cwd_specs, _a, _b = folders
    real = _put(cwd_specs, "sweeps", "real.toml", "x = 1\n")
    (cwd_specs / "sweeps" / "alias.toml").symlink_to(real)
    assert io.read_sweep(io.find_sweep("alias")) == {"x": 1}


def test_read_spec_gives_the_raw_table():
    doc = io.read_spec(io.BUNDLED_SPECS / "vehicles" / "byd-han-l.toml")
    assert doc["kind"] == "vehicle"


def test_scenarios_by_name_and_path(folders, tmp_path):
    path = io.find_scenario("solid-state")
    assert path == io.BUNDLED_SPECS / "scenarios" / "solid-state.toml"
    assert io.read_scenario(path)["kind"] == "scenario"
    with pytest.raises(SpecNotFound, match="file not found"):
        io.find_scenario(str(tmp_path / "none.toml"))


def test_parse_cycle_converts_header_units_to_si():
    t = io.parse_cycle("time [min],speed [km/h],grade [%]\n0,36,1\n1,72,0\n", "c.csv")
    np.testing.assert_allclose(t.time, [0, 60])
    np.testing.assert_allclose(t.speed, [10, 20])
    np.testing.assert_allclose(t.grade, [0.01, 0])
    assert t.lines == [2, 3] and t.where == "c.csv"
    t2 = io.parse_cycle("speed [m/s],time [s]\n1,0\n2,1\n")
    np.testing.assert_allclose(t2.grade, [0, 0])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("time,speed [km/h]\n0,1\n", "has no unit"),
        ("time [s],speed [kg]\n0,1\n1,1\n", "speed"),
        ("time [s],speed [km/h]\n0,x\n1,1\n", r"line 2, column speed: 'x' is not a number"),
        ("time [s],speed [km/h]\n0,nan\n1,1\n", "not finite"),
        ("time [s],speed [km/h]\n0,1\n", "at least two rows"),
        ("time [s],velocity [km/h]\n", "unknown column"),
    ],
)
def test_parse_cycle_refuses_bad_tables(text, message):
    with pytest.raises(SpecError, match=message):
        io.parse_cycle(text, "c.csv")


def test_parse_cycle_bounds_rows():
    text = "time [s],speed [m/s]\n" + "".join(f"{i},1\n" for i in range(20))
    with pytest.raises(SpecError, match="more than 10 rows"):
        io.parse_cycle(text, "c.csv", max_rows=10)


def test_read_cycle_and_the_index():
    table = io.read_cycle(io.find_cycle("udds"))
    assert table.time.size > 100 and table.speed.max() < 30
    assert "udds" in io.read_cycle_index()


def test_read_market_and_exchange_rates(tmp_path):
    assert "basis_year" in io.read_market()
    with pytest.raises(SpecError, match="file not found"):
        io.read_market(tmp_path / "none.toml")
    with pytest.raises(SpecFileError, match="character device"):
        io.read_market("/dev/null")
    rates = io.read_exchange_rates()
    assert "EUR" in rates["usd_per_unit"]
    bad = tmp_path / "r.toml"
    bad.write_text("x = 1\n")
    with pytest.raises(SpecError, match="reference_year"):
        io.read_exchange_rates(bad)


def test_trend_data_from_a_device_is_refused_by_the_reader(capsys):
    from nevcalc.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["trend", "--data", "/dev/null"])
    assert exc.value.code == 1
    assert "character device, not a regular file" in capsys.readouterr().err


def test_units_knows_no_files():
    text = (ROOT / "nevcalc" / "units.py").read_text()
    assert not re.search(r"\bopen\(|tomllib|read_text|read_bytes|_specs|Path\(", text)


def test_units_takes_the_exchange_table_it_is_given():
    from nevcalc import units

    try:
        units.use_exchange_rates(
            {"reference_year": 2000, "usd_per_unit": {"EUR": {"2000": {"value": 2.0}}}}
        )
        assert units.exchange_rate("EUR") == 2.0
        assert units.to_si("3 EUR", "USD", "t") == pytest.approx(6.0)
    finally:
        units.use_exchange_rates(io.read_exchange_rates)
    assert (
        units.exchange_rate("EUR")
        == io.read_exchange_rates()["usd_per_unit"]["EUR"][
            str(io.read_exchange_rates()["reference_year"])
        ]["value"]
    )


def test_a_cycle_named_inside_a_file_is_a_name_never_a_path(tmp_path):
    from nevcalc.cycles import load_cycle

    csv = tmp_path / "mine.csv"
    csv.write_text("time [s],speed [m/s]\n0,5\n10,5\n")
    assert load_cycle(str(csv)).distance == pytest.approx(50)  # a path the caller typed
    with pytest.raises(SpecNotFound, match="is a path"):
        load_cycle(str(csv), allow_path=False)


def test_import_nevcalc_reads_no_file_and_imports_no_numpy():
    code = "import sys, nevcalc; print('numpy' in sys.modules, 'pint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("value", ['"0.1"', "0.1", "0.8"])
def test_published_soc_as_a_bare_fraction_is_refused_as_ambiguous(tmp_path, value):
    from nevcalc import catalog

    text = (io.BUNDLED_SPECS / "vehicles" / "kia-ev6-77.toml").read_text()
    assert 'soc_from = "10 %"' in text
    p = tmp_path / "car.toml"
    p.write_text(text.replace('soc_from = "10 %"', f"soc_from = {value}", 1))
    with pytest.raises(SpecError, match=r"published\[0\]\.soc_from: .* is ambiguous"):
        catalog.load_path(p)


@pytest.mark.parametrize(
    ("name", "suffix", "path"),
    [("kia-ev6-77", ".toml", False), ("my-car.toml", ".toml", True),
     ("MY-CAR.TOML", ".toml", True), ("Cycle.CSV", ".csv", True), ("a/b", ".toml", True),
     ("toml-fan", ".toml", False)],
)  # fmt: skip
def test_is_path_reads_a_suffix_in_any_case(name, suffix, path):
    assert io.is_path(name, suffix) is path


def test_a_missing_or_unreadable_file_says_what_to_do(tmp_path):
    """A name with a '/' (`--chemistry 77/h`) is read as a path: the error says to check it
    and what file was expected, not only that there is none."""
    with pytest.raises(SpecFileError) as exc:
        io.read_bytes(tmp_path / "77/h", 100, "a spec .toml file")
    assert "no such file; check the path" in str(exc.value)
    assert "a spec .toml file" in str(exc.value)
    locked = tmp_path / "locked.toml"
    locked.write_text("x = 1\n")
    err = io._cannot(str(locked), PermissionError(13, "Permission denied"))
    assert "check the path and its permissions" in str(err)
