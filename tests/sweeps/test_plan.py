"""Sweep spec files are checked before any work: every bad value, size, type, encoding,
unknown key and out-of-bounds draw gets one line naming the file and key with the fix;
names and paths follow the stated rule (nevcalc.scenario.files)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import nevcalc
from nevcalc.errors import InputError, SpecError
from nevcalc.sweeps.plan import LIMITS, load_plan, plan_from_dict

BASE = {"vehicle": "byd-han-l", "charger": "byd-megawatt", "usage": "private-china"}

RANDOM = {"field": "usage.fast_charge_share", "distribution": "uniform", "low": "10 %",
          "high": "20 %"}  # fmt: skip


def _doc(*axes, draws=None, **extra):
    doc = {"kind": "sweep", "title": "t", "base": dict(BASE), "axis": list(axes)}
    if draws is not None:
        doc["draws"] = draws
    doc.update(extra)
    return doc


def _range(field, a, b, num):
    return {"field": field, "from": a, "to": b, "num": num}


CASES = [
    # sizes bounded before any work
    (_doc(_range("charger.max_power", "50 kW", "500 kW", 10**12)), "num: 1000000000000"),
    (
        _doc(
            *(
                _range(f"usage.{f}", "0.1 USD/kWh", "0.2 USD/kWh", 10**6)
                for f in ("electricity_price", "fast_charge_price")
            ),
            _range("usage.annual_distance", "1000 km", "2000 km", 10**6),
            _range("economics.maintenance", "0.01 USD/km", "0.02 USD/km", 10**6),
        ),
        "more than the 1e+15 a sweep may have",
    ),  # 1e24 rows: no int64 wrap-around
    (
        _doc(
            *(
                _range(f"usage.{f}", "0.1 USD/kWh", "0.2 USD/kWh", 2**16)
                for f in ("electricity_price", "fast_charge_price")
            ),
            _range("usage.annual_distance", "1000 km", "2000 km", 2**16),
            _range("economics.maintenance", "0.01 USD/km", "0.02 USD/km", 2**16),
        ),
        "rows",
    ),  # exactly 2**64 rows
    (_doc(RANDOM, draws={"n": 2**63 - 1}), "draws.n"),
    (
        _doc(
            RANDOM,
            draws={"n": 10**15},
            axis=[RANDOM, {"field": "usage", "values": ["private-china", "commuter-europe"]}],
        ),
        "more than the 1e+15",
    ),
    (_doc(_range("vehicle.battery_usable_energy", "50 kWh", "100 kWh", 30000)), "cars to build"),
    (
        _doc(
            {"field": "vehicle", "values": "all"},
            {"field": "chemistry", "values": "all"},
            _range("charger.max_current", "100 A", "1000 A", 10000),
        ),
        "charging profiles",
    ),
    # distributions
    (
        _doc(
            {
                "field": "usage.fast_charge_share",
                "distribution": "triangular",
                "low": "80 %",
                "mode": "20 %",
                "high": "10 %",
            },
            draws={"n": 10},
        ),
        "low <= mode <= high",
    ),
    (
        _doc(
            {
                "field": "usage.fast_charge_share",
                "distribution": "triangular",
                "low": "10 %",
                "mode": "5 %",
                "high": "80 %",
            },
            draws={"n": 10},
        ),
        "low <= mode <= high",
    ),
    (
        _doc(
            {
                "field": "economics.discount_rate",
                "distribution": "uniform",
                "low": "-90 %",
                "high": "-50 %",
            },
            draws={"n": 10},
        ),
        "reaches outside 0 %..50 %",
    ),
    (
        _doc(
            {
                "field": "usage.temperature",
                "distribution": "normal",
                "mean": "55 degC",
                "sd": "10 K",
            },
            draws={"n": 10},
        ),
        "of draws outside -40 degC..60 degC",
    ),
    (
        _doc(
            {
                "field": "usage.electricity_price",
                "distribution": "lognormal",
                "median": "20 USD/kWh",
                "sigma": 0.3,
            },
            draws={"n": 10},
        ),
        "median",
    ),
    (
        _doc(
            {
                "field": "usage.electricity_price",
                "distribution": "lognormal",
                "median": "0.1 USD/kWh",
                "sigma": -1,
            },
            draws={"n": 10},
        ),
        "spread must be positive",
    ),
    (
        _doc(
            {
                "field": "usage.electricity_price",
                "distribution": 5,
                "low": "0.1 USD/kWh",
                "high": "0.2 USD/kWh",
            },
            draws={"n": 10},
        ),
        "distribution 5",
    ),
    # draws
    (_doc(RANDOM, draws={"n": 10, "seed": -1}), "draws.seed: -1"),
    (_doc(RANDOM, draws={"n": 10, "seed": 2**64}), "draws.seed"),
    (_doc(RANDOM, draws={"n": 10, "seed": 1.5}), "draws.seed"),
    (_doc(RANDOM, draws={"n": True}), "draws.n: True"),
    (_doc(RANDOM, draws={"n": 10, "seeed": 5}), "did you mean 'seed'"),
    (_doc(RANDOM, draws=[1, 2]), "draws: a table"),
    # base
    (_doc(base={"vehicle": 5}), "base.vehicle: 5 is not a vehicle name"),
    (_doc(base={"vehicle": "../specs/vehicles/byd-han-l.toml"}), "not a vehicle name"),
    (_doc(base={"vehicle": "/etc/passwd"}), "not a vehicle name"),
    (_doc(base={"vehicle": "byd-han-l", "years": True}), "base.years"),
    (_doc(base={"vehicle": "byd-han-l", "yeers": 5}), "did you mean 'years'"),
    (_doc(base=["byd-han-l"]), "[base] must be a table"),
    # summary
    (_doc(summary={"quantiles": ["x"]}), "summary.quantiles: ['x']"),
    (_doc(summary={"quantiles": [1.5]}), "fractions from 0 to 1"),
    (_doc(summary={"quantiles": [0.5] * 30}), "summary.quantiles"),
    (_doc(summary={"quantiles": [0.5, 0.5]}), "repeated"),
    (_doc(summary={"quantile": [0.5]}), "did you mean 'quantiles'"),
    (_doc(summary={"best": [5]}), "summary.best"),
    (_doc(summary={"best": ["rnge"]}), "did you mean 'range'"),
    (_doc(summary={"pareto": ["range", "range"]}), "summary.pareto"),
    (_doc(summary={"group_by": "vehicle"}), "summary.group_by: 'vehicle' is not a categorical"),
    # the rest
    (_doc(seeed=5), "did you mean 'seed'"),
    (_doc(axis={"field": "usage"}), "axis: a table where a list of [[axis]] tables"),
    (_doc(axis=[5]), "axis[0]: 5 is a number where an [[axis]] table is expected"),
    (_doc({"field": "usage", "values": ["private-china"], "zip": 3}), "zip"),
    (_doc({"field": "vehicle", "values": ["../x.toml"]}), "not a vehicle name"),
    (_doc(_range("usage.electricity_price", "0.1 USD/kWh", "0.2 USD/kWh", True)), "num: True"),
    (_doc(outputs=["range", "range"]), "outputs: a metric is repeated"),
    (_doc(title=5), "title"),
]


@pytest.mark.parametrize(("doc", "message"), CASES, ids=range(len(CASES)))
def test_bad_sweep_specs_get_one_line_naming_the_key(doc, message):
    with pytest.raises((SpecError, InputError)) as info:
        plan_from_dict(copy.deepcopy(doc), "my.toml")
    text = str(info.value)
    assert message in text
    assert "\n" not in text and text.startswith("my.toml")


@pytest.mark.parametrize(
    ("doc", "key", "expected"),
    [
        (_doc({"field": 5, "values": ["50 kW"]}), "axis[0].field: 5 is a number",
         'e.g. field = "charger.max_power"'),
        (_doc({"field": ["charger.max_power"], "values": ["50 kW"]}), "axis[0].field: a list",
         'e.g. field = "charger.max_power"'),
        (_doc({"field": "charger.max_power", "values": 5}), "axis[0].values: 5 is a number",
         'e.g. values = ["5 kW"]'),
        (_doc({"field": "charger.max_power", "values": "350 kW"}),
         "axis[0].values: text '350 kW'", 'e.g. values = ["350 kW"]'),
        (_doc({"field": "usage.fast_charge_share", "values": 0.2}),
         "axis[0].values: 0.2 is a number", "e.g. values = [0.2]"),
        (_doc({"field": "vehicle", "values": 5}), "axis[0].values: 5 is a number",
         'or values = "all"'),
        (_doc(axis=5), "axis: 5 is a number", 'e.g. [[axis]] field = "charger.max_power"'),
    ],
    ids=["field-number", "field-list", "values-number", "values-text", "share-number",
         "category-number", "axis-number"],
)  # fmt: skip
def test_an_axis_key_of_the_wrong_type_is_not_called_missing(doc, key, expected):
    with pytest.raises(SpecError) as info:
        plan_from_dict(doc, "my.toml")
    text = str(info.value)
    assert text.startswith(f"my.toml: {key}"), text
    assert "missing" not in text and "expected" in text and expected in text, text
    assert "\n" not in text


def test_an_axis_field_written_as_a_number_in_a_file_is_named_with_the_file(tmp_path, run_cli):
    path = tmp_path / "plan.toml"
    path.write_text('kind = "sweep"\n[base]\nvehicle = "byd-han-l"\n\n'
                    "[[axis]]\nfield = 5\nvalues = [1, 2]\n", encoding="utf-8")  # fmt: skip
    code, out, err = run_cli("sweep", str(path), "-o", str(tmp_path / "out.csv"))
    assert code == 1 and out == "", err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{path}: axis[0].field: 5 is a number" in err and "missing" not in err
    assert 'e.g. field = "charger.max_power"' in err


#: Values of every type and edge, put in every place of a sweep spec.
BAD_VALUES = [None, True, -1, 0, 2**64, 1e308, float("nan"), float("inf"), "", "x", "-5 %",
              "1e400 kW", "10**10**10 kW", [], ["x"], [1, 2], {}, {"a": 1}]  # fmt: skip

PLACES = [
    ("kind",), ("title",), ("outputs",), ("base", "vehicle"), ("base", "years"),
    ("base", "usage.electricity_price"), ("base", "replace_below"),
    ("axis", 0, "field"), ("axis", 0, "values"), ("axis", 1, "from"), ("axis", 1, "num"),
    ("axis", 1, "scale"), ("axis", 2, "low"), ("axis", 2, "distribution"),
    ("draws", "n"), ("draws", "seed"), ("summary", "quantiles"), ("summary", "best"),
    ("summary", "group_by"), ("summary", "pareto"),
]  # fmt: skip


def _valid():
    return _doc(
        {"field": "vehicle", "values": ["byd-han-l"]},
        _range("charger.max_power", "50 kW", "500 kW", 3),
        {"field": "economics.discount_rate", "distribution": "uniform", "low": "2 %",
         "high": "8 %"},
        draws={"n": 4, "seed": 1}, summary={"group_by": ["vehicle"]},
    )  # fmt: skip


@pytest.mark.parametrize("place", PLACES, ids=lambda p: ".".join(map(str, p)))
def test_generated_bad_values_in_every_place_are_refused_or_valid(place):
    """Each value lands in a clear refusal naming the file, or a valid plan: never an
    exception of another kind (len(PLACES) x len(BAD_VALUES) = 360 cases)."""
    plan_from_dict(_valid(), "ok.toml")
    for value in BAD_VALUES:
        doc = _valid()
        target = doc
        for key in place[:-1]:
            target = target[key]
        target[place[-1]] = value
        try:
            plan = plan_from_dict(doc, "gen.toml")
        except (SpecError, InputError) as exc:
            assert str(exc).startswith("gen.toml"), (place, value, str(exc))
            assert "\n" not in str(exc)
        else:
            assert plan.rows <= LIMITS["rows"]


def test_valid_plan_rows_are_exact_python_integers():
    doc = _doc(*(_range(f"usage.{f}", "0.1 USD/kWh", "0.2 USD/kWh", 1000)
                 for f in ("electricity_price", "fast_charge_price")),
               _range("usage.annual_distance", "1000 km", "2000 km", 1000),
               _range("economics.maintenance", "0.01 USD/km", "0.02 USD/km", 1000))  # fmt: skip
    plan = plan_from_dict(doc)
    assert plan.rows == 10**12 and isinstance(plan.rows, int)


def test_draws_clipped_at_a_bound_are_stated():
    doc = _doc({"field": "usage.temperature", "distribution": "normal", "mean": "50 degC",
                "sd": "4 K"}, draws={"n": 10})  # fmt: skip
    (note,) = plan_from_dict(doc).notes
    assert "usage.temperature" in note and "0.0062 of the normal draws" in note


def _write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


SPEC = 'kind = "sweep"\ntitle = "t"\n[base]\nvehicle = "byd-han-l"\n'


def test_file_problems_are_one_line(tmp_path):
    with pytest.raises(SpecError, match=r"UTF-16.*UTF-8"):
        load_plan(str(_write(tmp_path / "u16.toml", SPEC, "utf-16")))
    with pytest.raises(SpecError, match="bytes, larger than"):
        load_plan(str(_write(tmp_path / "big.toml", SPEC + "#" * (1 << 21))))
    with pytest.raises(SpecError, match="nest more than"):
        load_plan(str(_write(tmp_path / "deep.toml", "x = " + "[" * 50000 + "]" * 50000)))
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(SpecError, match="not a regular file"):
        load_plan(str(fifo))  # would block on open
    with pytest.raises(SpecError, match="not a regular file"):
        load_plan(str(tmp_path))


def test_names_resolve_inside_spec_folders_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outside = _write(tmp_path / "elsewhere.toml", SPEC)
    (tmp_path / "specs" / "sweeps").mkdir(parents=True)
    (tmp_path / "specs" / "sweeps" / "escape.toml").symlink_to(outside)
    with pytest.raises(SpecError, match="outside the spec folder"):
        load_plan("escape")
    # an explicit path is the caller's choice: read as given
    assert load_plan(str(outside)).base["vehicle"] == "byd-han-l"
    # a symlink that stays inside the spec folder is fine
    _write(tmp_path / "specs" / "real.toml", SPEC)
    (tmp_path / "specs" / "sweeps" / "inside.toml").symlink_to(tmp_path / "specs" / "real.toml")
    assert load_plan("inside").base["vehicle"] == "byd-han-l"
    with pytest.raises(SpecError, match="no sweep named 'nope'"):
        load_plan("nope")


def test_cli_bad_sweeps_exit_without_traceback(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    bad = {
        "seed.toml": SPEC + '[[axis]]\nfield = "usage.fast_charge_share"\n'
        'distribution = "uniform"\nlow = "10 %"\nhigh = "20 %"\n[draws]\nn = 5\nseed = -1\n',
        "veh.toml": 'kind = "sweep"\n[base]\nvehicle = 5\n',
        "q.toml": SPEC + '[summary]\nquantiles = ["x"]\n',
    }
    for name, text in bad.items():
        _write(tmp_path / name, text)
        proc = subprocess.run([sys.executable, "-m", "nevcalc.cli", "sweep", name],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=60)  # fmt: skip
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr.count("\n") == 1 and name in proc.stderr
        assert "Traceback" not in proc.stderr


def test_all_says_which_spec_folders_it_read_and_no_warning_reaches_the_user(
    tmp_path, monkeypatch, run_cli
):
    import warnings

    from nevcalc.catalog import search_paths

    monkeypatch.chdir(tmp_path)
    shipped = search_paths()[-1] / "vehicles" / "nio-et7-150.toml"
    mine = tmp_path / "specs" / "vehicles"
    mine.mkdir(parents=True)
    text = shipped.read_text().replace('name = "nio-et7-150"', 'name = "mycar"')
    (mine / "mycar.toml").write_text(text.replace('chemistry = "semi-solid"',
                                                  'chemistry = "chen2020"'))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning would fail the run
        code, out, err = run_cli("sweep", "charger-power", "--summary", "--json")
        assert code == 0, err
        doc = json.loads(out)
        (note,) = [n for n in doc["notes"] if n.startswith('vehicle = "all"')]
        assert f"{mine} (1)" in note and f"{shipped.parent} (" in note
        groups = {g["group"]["vehicle"]: g for g in doc["summary"]["groups"]}
        assert groups["mycar"]["answered"] == 0 and groups["nio-et7-150"]["answered"] == 240
        code, text_out, err = run_cli("sweep", "charger-power", "--summary")
        assert code == 0 and err == ""
    assert "vehicle mycar: 240 rows, none answered" in text_out
    assert str(mine) in text_out.replace("\n", "")


def test_scenario_files_follow_the_same_rule(tmp_path, monkeypatch):
    from nevcalc.scenario.scenarios import run_scenario

    monkeypatch.chdir(tmp_path)
    case = '[[case]]\nname = "a"\nvehicle = "{v}"\n'
    head = 'kind = "scenario"\ntitle = "t"\n'
    outside = _write(tmp_path / "elsewhere.toml", head + case.format(v="byd-han-l"))
    (tmp_path / "specs" / "scenarios").mkdir(parents=True)
    (tmp_path / "specs" / "scenarios" / "escape.toml").symlink_to(outside)
    with pytest.raises(SpecError, match="outside the spec folder"):
        run_scenario("escape")
    assert run_scenario(str(outside)).cases[0].name == "a"  # a path given is read as given
    ref = _write(tmp_path / "ref.toml", head + case.format(v="../vehicles/x.toml"))
    with pytest.raises(SpecError, match=r"case\[0\]\.vehicle: '\.\./vehicles/x\.toml' is not"):
        run_scenario(str(ref))
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(SpecError, match="FIFO"):
        run_scenario(str(fifo))


POWER = {"field": "charger.max_power", "values": ["100 kW", "350 kW", "1000 kW"]}

VEHICLES = {"field": "vehicle", "values": ["byd-han-l", "kia-ev6-77", "zeekr-7x-lfp"]}

MC = {"field": "usage.fast_charge_share", "distribution": "triangular", "low": "0 %",
      "mode": "20 %", "high": "80 %"}  # fmt: skip

MC_POWER = {"field": "charger.max_power", "distribution": "uniform", "low": "100 kW",
            "high": "1000 kW"}  # fmt: skip


@pytest.mark.parametrize(
    ("axis", "needle"),
    [
        ({"field": "charger.max_powr", "values": ["50 kW"]}, "did you mean 'charger.max_power'"),
        ({"field": "vehicle.colour", "values": ["red"]}, "cannot be swept"),
        ({"field": "charger.max_power", "from": "50 kW", "to": "1 MWh", "num": 3}, "both be kW"),
        ({"field": "charger.max_power", "values": ["50 kg"]}, "power"),
        ({"field": "usage.fast_charge_share", "values": ["150 %"]}, "outside"),
        ({"field": "vehicle", "values": ["no-such-car"]}, "no-such-car"),
        ({"field": "usage.electricity_price", "distribution": "gamma"}, "not one of"),
        (
            {"field": "usage.electricity_price", "distribution": "normal", "mean": "0.1 USD/kWh"},
            "sd missing",
        ),
        ({"field": "charger.max_power", "value": ["50 kW"]}, "unknown key"),
    ],
)
def test_bad_axes_are_refused_before_any_work(axis, needle):
    with pytest.raises(SpecError) as exc:
        plan_from_dict(_doc(axis, draws={"n": 10}) if "distribution" in axis else _doc(axis))
    assert needle in str(exc.value)


def test_zipped_axes_must_have_one_length():
    a = dict(VEHICLES, zip="pairs")
    b = {"field": "charger", "values": ["byd-megawatt", "ionity-350"], "zip": "pairs"}
    with pytest.raises(SpecError, match="different lengths"):
        plan_from_dict(_doc(a, b))


def test_random_axes_need_draws_and_outputs_must_be_metrics():
    rnd = {"field": "usage.electricity_price", "distribution": "uniform",
           "low": "0.1 USD/kWh", "high": "0.2 USD/kWh"}  # fmt: skip
    with pytest.raises(SpecError, match="draws"):
        plan_from_dict(_doc(rnd))
    with pytest.raises(SpecError, match="did you mean 'range'"):
        plan_from_dict(_doc(POWER, outputs=["rnge"]))


def test_summary_must_name_outputs_and_axes_of_the_sweep():
    with pytest.raises(SpecError, match="not a categorical axis of this sweep"):
        plan_from_dict(_doc(POWER, summary={"group_by": ["vehicle"]}))
    with pytest.raises(SpecError, match="not among the outputs"):
        plan_from_dict(_doc(POWER, outputs=["range"], summary={"best": ["charge_10_80"]}))
    with pytest.raises(SpecError, match="two metrics"):
        plan_from_dict(_doc(POWER, summary={"pareto": ["range"]}))


def test_draws_are_deterministic_for_a_seed_and_differ_between_seeds():
    a = nevcalc.sweep(_doc(MC, MC_POWER, draws={"n": 5000, "seed": 3}), chunk_rows=2048)
    b = nevcalc.sweep(_doc(MC, MC_POWER, draws={"n": 5000, "seed": 3}), chunk_rows=2048)
    c = nevcalc.sweep(_doc(MC, MC_POWER, draws={"n": 5000, "seed": 4}), chunk_rows=2048)
    for k in a.columns:
        np.testing.assert_array_equal(a.columns[k], b.columns[k])
    assert not np.array_equal(a.columns["usage.fast_charge_share"],
                              c.columns["usage.fast_charge_share"])  # fmt: skip
    share = a.columns["usage.fast_charge_share"]
    assert share.min() >= 0 and share.max() <= 1
    assert abs(np.mean(share) - (0 + 0.2 + 0.8) / 3) < 0.01  # triangular mean


def test_fields_that_rebuild_the_car_cannot_be_drawn():
    axis = {"field": "vehicle.curb_mass", "distribution": "normal", "mean": "2000 kg",
            "sd": "100 kg"}  # fmt: skip
    with pytest.raises(SpecError, match="give values or a range"):
        plan_from_dict(_doc(axis, draws={"n": 10}))
    with pytest.raises(SpecError, match="specs fields vehicle"):
        plan_from_dict(_doc({"field": "vehicle.colour", "values": [1]}))


@pytest.mark.parametrize(
    "doc",
    [
        _doc(POWER, POWER),
        _doc(dict(RANDOM, zip="z"), draws={"n": 10}),
        _doc(VEHICLES, {"field": "charger", "values": ["byd-megawatt", "byd-megawatt"]}),
        _doc(dict(VEHICLES, zip="pairs"),
             {"field": "charger", "values": ["byd-megawatt", "ionity-350"], "zip": "pairs"}),
        _doc(POWER, outputs=["range", "range"]),
        _doc(POWER, summary={"quantiles": [0.5, 0.5]}),
        _doc(VEHICLES, summary={"group_by": ["vehicle", "vehicle"]}),
    ],
)  # fmt: skip
def test_repeats_and_mismatches_say_what_to_do(doc):
    """The message after the location says what to change, not only what is wrong."""
    with pytest.raises(SpecError) as exc:
        plan_from_dict(doc)
    message = str(exc.value).rsplit(": ", 1)[-1]
    assert any(w in message for w in ("give ", "list each", "remove ")), str(exc.value)
