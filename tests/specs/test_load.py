"""Reading spec files safely: file kinds, sizes, encodings, nesting and extends depth, symlinks."""

from __future__ import annotations

import os
import time

import pytest

from nevcalc import catalog
from nevcalc.errors import NevcalcError, SpecError, SpecFileError, SpecNotFound
from nevcalc.specs import files

CHARGER = """kind = "charger"
title = "t"
current_type = "dc"
max_power = { value = "150 kW", source = "s", kind = "assumed" }
"""


def _charger(folder, name, extra=""):
    path = folder / "chargers" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CHARGER + extra)
    return path


def _refused(run_cli, *args):
    code, out, err = run_cli(*args)
    assert code in (1, 2), (out, err)
    assert "Traceback" not in out + err
    assert err.strip(), out
    return err


# ---------------------------------------------------------------- file kinds


@pytest.mark.parametrize("command", ["charge", "range"])
def test_a_device_is_refused_before_reading(run_cli, command):
    err = _refused(run_cli, command, "/dev/zero")
    assert "/dev/zero: is a character device, not a regular file" in err


def test_a_fifo_spec_is_refused_without_waiting(tmp_path, run_cli):
    fifo = tmp_path / "car.toml"
    os.mkfifo(fifo)
    start = time.monotonic()
    err = _refused(run_cli, "charge", str(fifo))
    assert time.monotonic() - start < 5
    assert f"{fifo}: is a named pipe (FIFO)" in err


def test_a_fifo_in_a_spec_folder_is_refused_by_name(tmp_path, run_cli):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "slow.toml")
    err = _refused(run_cli, "specs", "show", "slow")
    assert "slow.toml: is a named pipe (FIFO)" in err


def test_a_folder_given_as_a_spec_is_refused(tmp_path):
    folder = tmp_path / "x.toml"
    folder.mkdir()
    with pytest.raises(SpecFileError, match="is a folder, not a regular file"):
        catalog.load_path(folder)


def test_a_file_over_the_size_bound_is_refused_before_reading(tmp_path, run_cli):
    path = tmp_path / "huge.toml"
    with path.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(files.MAX_SPEC_BYTES + 1)
    err = _refused(run_cli, "specs", "validate", str(path))
    assert str(path) in err and "larger than the 1 MiB allowed" in err


def test_read_bytes_bounds_what_it_reads(tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(b"x" * 100)
    assert files.read_bytes(path, 100) == b"x" * 100
    with pytest.raises(SpecFileError, match="larger than"):
        files.read_bytes(path, 99)


def test_utf16_spec_is_refused_with_the_fix(tmp_path, run_cli):
    path = tmp_path / "u16.toml"
    path.write_bytes(CHARGER.encode("utf-16"))
    err = _refused(run_cli, "specs", "validate", str(path))
    assert f"{path}: the file is UTF-16 text; save it as UTF-8" in err


def test_binary_file_is_refused(tmp_path, run_cli):
    path = tmp_path / "bin.toml"
    path.write_bytes(b"kind = 1\n\x00\x01\x02\xff" * 50)
    err = _refused(run_cli, "specs", "validate", str(path))
    assert f"{path}: a binary file" in err


# ---------------------------------------------------------------- nesting and numbers


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("arrays", "x = " + "[" * 5000 + "]" * 5000),
        ("inline-tables", "x = " + "{a = " * 3000 + "1" + "}" * 3000),
        ("headers", "[" + ".".join(["a"] * 40) + "]\nb = 1"),
        ("dotted-keys", ".".join(["a"] * 40) + " = 1"),
        ("just-over", "x = " + "[" * 9 + "]" * 9),
    ],
)
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, run_cli, label, text):
    path = tmp_path / f"{label}.toml"
    path.write_text(CHARGER + text + "\n")
    err = _refused(run_cli, "specs", "validate", str(path))
    assert f"{path}: arrays or tables nest more than 8 deep" in err


def test_nesting_depth_skips_strings_and_comments():
    text = "a = \"[[[[[[[[[[\" # {{{{{{{{{{{{\nb = '''\n[[[[[[[[[[[\n'''\nc = [[1]]\n"
    assert files.nesting_depth(text) == 2


def test_nesting_scan_is_fast_on_a_full_size_file():
    text = '"""' + "[" * (files.MAX_SPEC_BYTES - 10)
    start = time.monotonic()
    files.nesting_depth(text)
    files.nesting_depth('"' * files.MAX_SPEC_BYTES)
    assert time.monotonic() - start < 2


def test_an_integer_too_long_for_python_is_a_toml_error(tmp_path, run_cli):
    path = tmp_path / "digits.toml"
    path.write_text(CHARGER + "efficiency = " + "9" * 5000 + "\n")
    err = _refused(run_cli, "specs", "validate", str(path))
    assert f"{path}: not valid TOML" in err


# ---------------------------------------------------------------- extends


def test_a_long_extends_chain_is_refused_not_a_recursion_error(tmp_path, run_cli):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    for i in range(1500):
        (folder / f"c{i}.toml").write_text(
            f'kind = "charger"\ntitle = "c{i}"\nextends = "c{i + 1}"\n'
        )
    _charger(tmp_path / "specs", "c1500")
    err = _refused(run_cli, "specs", "show", "c0")
    assert "extends: a chain of more than 16 specs" in err
    assert "c15.toml" in err


def test_an_extends_chain_within_the_bound_loads(tmp_path):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    n = catalog.MAX_EXTENDS - 1
    for i in range(n):
        (folder / f"c{i}.toml").write_text(
            f'kind = "charger"\ntitle = "c{i}"\nextends = "c{i + 1}"\n'
        )
    _charger(tmp_path / "specs", f"c{n}")
    assert catalog.load("c0", "charger").in_unit("max_power") == pytest.approx(150)


# ---------------------------------------------------------------- symlinks


def test_a_symlink_leading_out_of_a_spec_folder_is_refused(tmp_path, run_cli):
    outside = _charger(tmp_path / "elsewhere", "real")
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    (folder / "linked.toml").symlink_to(outside)
    with pytest.raises(SpecError) as err:
        catalog.load("linked", "charger")
    msg = err.value.problems[0]
    assert "linked.toml: a symlink to" in msg and str(outside) in msg
    assert "outside the spec folder" in msg and "give its path on the command line" in msg
    # the same file given as a path on the command line is the user's choice
    assert catalog.load_path(outside).name == "real"
    code, _, err_text = run_cli("specs", "validate", str(outside))
    assert code == 0, err_text


def test_a_reference_inside_a_file_cannot_leave_the_spec_folders(tmp_path):
    outside = _charger(tmp_path / "elsewhere", "base")
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    (folder / "base.toml").symlink_to(outside)
    (folder / "child.toml").write_text('kind = "charger"\ntitle = "c"\nextends = "base"\n')
    with pytest.raises(SpecError, match="outside the spec folder"):
        catalog.load("child", "charger")


def test_a_symlinked_kind_folder_leading_out_is_refused(tmp_path):
    _charger(tmp_path / "elsewhere", "far")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "chargers").symlink_to(tmp_path / "elsewhere" / "chargers")
    with pytest.raises(SpecError, match="outside the spec folder"):
        catalog.load("far", "charger")


def test_symlinks_within_a_spec_folder_and_a_symlinked_spec_folder_are_fine(tmp_path, monkeypatch):
    real = _charger(tmp_path / "lib", "real")
    (real.parent / "alias.toml").symlink_to(real)
    monkeypatch.setenv("NEVCALC_SPECS", str(tmp_path / "lib"))
    assert catalog.load("alias", "charger").in_unit("max_power") == pytest.approx(150)
    (tmp_path / "specs").symlink_to(tmp_path / "lib")  # ./specs itself may be a link
    assert catalog.load("real", "charger").in_unit("max_power") == pytest.approx(150)


def test_a_broken_symlink_is_named(tmp_path):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    (folder / "gone.toml").symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(SpecError, match=r"gone\.toml: a broken symlink"):
        catalog.load("gone", "charger")


# ---------------------------------------------------------------- specs list goes on


def test_specs_list_reports_each_bad_file_and_goes_on(tmp_path, run_cli):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    _charger(tmp_path / "specs", "good")
    (folder / "aa-broken.toml").write_text("kind = [\n")
    os.mkfifo(folder / "bb-pipe.toml")
    (folder / "Bad Name.toml").write_text(CHARGER)
    code, out, err = run_cli("specs", "list", "charger", "--json")
    assert code == 1
    assert "Traceback" not in err
    assert "aa-broken.toml: not valid TOML" in err
    assert "bb-pipe.toml: is a named pipe (FIFO)" in err
    assert "Bad Name.toml: 'Bad Name' is not a spec name" in err
    names = [item["name"] for item in __import__("json").loads(out)]
    assert "good" in names and "ionity-350" in names  # the rest is still listed


# ---------------------------------------------------------------- one hierarchy


def test_errors_form_one_hierarchy_with_builtin_bases():
    from nevcalc.errors import InputError
    from nevcalc.units import DimensionError, UnitInputError

    assert issubclass(UnitInputError, InputError) and issubclass(UnitInputError, ValueError)
    assert issubclass(DimensionError, UnitInputError)
    for cls in (InputError, SpecError, SpecNotFound, SpecFileError, UnitInputError):
        assert issubclass(cls, NevcalcError)
    assert issubclass(SpecError, ValueError)
    assert issubclass(SpecNotFound, LookupError) and issubclass(SpecNotFound, SpecError)
    assert issubclass(SpecFileError, OSError) and issubclass(SpecFileError, SpecError)
    with pytest.raises(LookupError):
        catalog.load("no-such-charger", "charger")
    with pytest.raises(OSError, match="no such file"):
        catalog.load_path("/nonexistent/x.toml")


def test_errors_pickle_with_their_problems():
    import pickle

    for cls in (SpecError, SpecNotFound, SpecFileError):
        err = pickle.loads(pickle.dumps(cls(["a.toml: b", "a.toml: c"])))
        assert type(err) is cls and err.problems == ["a.toml: b", "a.toml: c"]
        assert str(err) == "a.toml: b\na.toml: c"


def test_a_unit_error_escaping_a_command_is_a_clean_usage_error(monkeypatch, run_cli):
    from nevcalc.units import UnitInputError

    def boom(*a, **k):
        raise UnitInputError("option --x: cannot read 'q' as a quantity")

    monkeypatch.setattr(catalog, "list_specs", boom)
    code, _, err = run_cli("specs", "list")
    assert code == 2 and err.startswith("nevcalc: error: option --x") and "Traceback" not in err


@pytest.mark.parametrize("text", ["10**10**10 kWh", "2**2**2**2**2 kWh", "1e400 kWh", "9" * 20000])
def test_absurd_numbers_in_a_spec_file_are_refused_fast_and_list_goes_on(tmp_path, run_cli, text):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    (folder / "aa-absurd.toml").write_text(CHARGER.replace('"150 kW"', f'"{text}"'))
    start = time.monotonic()
    code, out, err = run_cli("specs", "list", "charger", "--json")
    assert time.monotonic() - start < 10
    assert code == 1 and "Traceback" not in err
    assert "aa-absurd.toml: max_power:" in err
    assert '"ionity-350"' in out  # the other specs are still listed


def test_a_symlink_loop_is_a_clear_error(tmp_path, run_cli):
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    err = _refused(run_cli, "charge", str(tmp_path / "a.toml"))
    assert "internal error" not in err
    assert f"{tmp_path / 'a.toml'}: cannot read (Too many levels of symbolic links)" in err
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    (folder / "loop.toml").symlink_to(folder / "loop.toml")
    with pytest.raises(SpecError, match=r"loop\.toml: a broken symlink"):
        catalog.load("loop", "charger")
