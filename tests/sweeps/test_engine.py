"""nevcalc sweep: specs checked before work, rows equal to the single-question answers,
models run only over their axes, streamed output resumable, identical across engines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import nevcalc
from nevcalc.errors import InputError, SpecError
from nevcalc.sweeps.plan import plan_from_dict


def _doc(*axes, base=None, **extra):
    doc = {
        "kind": "sweep",
        "title": "t",
        "base": base or {"vehicle": "byd-han-l", "charger": "byd-megawatt",
                         "usage": "private-china"},
        "axis": list(axes),
    }  # fmt: skip
    doc.update(extra)
    return doc


POWER = {"field": "charger.max_power", "values": ["100 kW", "350 kW", "1000 kW"]}
VEHICLES = {"field": "vehicle", "values": ["byd-han-l", "kia-ev6-77", "zeekr-7x-lfp"]}
PRICES = {"field": "usage.electricity_price", "from": "0.05 USD/kWh", "to": "0.3 USD/kWh",
          "num": 6}  # fmt: skip


# --- the spec is checked before any work -------------------------------------------------


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


def test_a_sweep_too_large_for_memory_needs_stream(run_cli, tmp_path):
    big = {"field": "usage.electricity_price", "from": "0.01 USD/kWh", "to": "1 USD/kWh",
           "num": 4000}  # fmt: skip
    doc = _doc(VEHICLES, POWER, big, {"field": "usage.fast_charge_price", "from": "0.1 USD/kWh",
                                      "to": "1 USD/kWh", "num": 300})  # fmt: skip
    with pytest.raises(InputError, match="--stream"):
        nevcalc.sweep(doc)
    spec = tmp_path / "big.toml"
    spec.write_text(_toml(doc))
    code, _out, err = run_cli("sweep", str(spec))
    assert code == 2 and "--stream" in err and "Traceback" not in err


def _toml(doc) -> str:
    lines = [f'kind = "{doc["kind"]}"', f'title = "{doc["title"]}"']
    for key in ("outputs",):
        if key in doc:
            lines.append(f"{key} = {json.dumps(doc[key])}")
    lines.append("[base]")
    lines += [f"{k} = {json.dumps(v)}" for k, v in doc["base"].items()]
    for a in doc["axis"]:
        lines.append("[[axis]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in a.items()]
    for table in ("draws", "summary"):
        if table in doc:
            lines.append(f"[{table}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in doc[table].items()]
    return "\n".join(lines) + "\n"


# --- rows agree with the single-question answers ------------------------------------------


def test_rows_equal_charge_and_range_answers():
    from dataclasses import replace

    from nevcalc.scenario.charge import charge, load_charger, load_vehicle
    from nevcalc.scenario.road import drive_range, load_road_vehicle

    res = nevcalc.sweep(_doc(VEHICLES, POWER))
    cols = res.columns
    for i in range(len(cols["reason"])):
        vname = res.names["vehicle"][cols["vehicle"][i]]
        power = cols["charger.max_power"][i] * 1e3
        ch = replace(load_charger("byd-megawatt"), max_power=power)
        ans = charge(load_vehicle(vname), ch, 0.1, 0.8, minutes=5)
        # the sweep marches 200 SoC steps, nevcalc charge 400
        assert cols["charge_10_80"][i] == pytest.approx(ans.duration / 60, rel=2e-4)
        assert cols["km_in_5_min"][i] == pytest.approx(ans.range_added / 1e3, rel=2e-3)
        assert cols["range"][i] == pytest.approx(
            drive_range(load_road_vehicle(vname)).range / 1e3, rel=1e-12
        )


def test_running_cost_agrees_with_nevcalc_cost():
    """The cost stage is the lifecycle cost of ``nevcalc cost`` without purchase; ageing goes
    through the health table, so agreement is to its interpolation error."""
    from nevcalc.scenario.cost import running_cost

    res = nevcalc.sweep(_doc(VEHICLES))
    for i, vname in enumerate(res.names["vehicle"]):
        direct = running_cost(vname, "byd-megawatt", usage="private-china")
        got = res.columns["running_cost_per_km"][i]
        assert got == pytest.approx(float(direct.parts.per_km), rel=5e-3), vname
        assert res.columns["capacity_end"][i] / 100 == pytest.approx(
            direct.capacity_at_end, abs=3e-3
        )


def test_health_table_error_against_the_ageing_model():
    """Interpolation error of the health table, all four models, 30-80 % window, 60 random
    duties in the models' range (0.05-1C, 10-45 degC, a sweep every 1-30 days)."""
    from nevcalc.model import degradation
    from nevcalc.sweeps.evaluate import cached_health_table, health_lookup

    rng = np.random.default_rng(7)
    errors = []
    for model in degradation.MODELS:
        table = cached_health_table(model, 0.3, 0.8, 10, 0.7)
        for _ in range(15):
            c, p = np.exp(rng.uniform(np.log(0.05), 0.0)), np.exp(rng.uniform(0, np.log(30)))
            temp = rng.uniform(10, 45)
            duty = degradation.daily_duty(0.8, 0.3, c, np.array([temp]), period_days=p)
            q = degradation.capacity_fade(model, duty, np.arange(1, 11))[0]
            got = health_lookup(table, np.array([c]), np.array([p]), np.array([temp]))
            errors += [abs(got["q8"][0] - q[7]), abs(got["q_end"][0] - q[9])]
    assert np.median(errors) < 0.002
    assert max(errors) < 0.01


# --- models run only over their axes ------------------------------------------------------


def test_charging_runs_once_per_vehicle_charger_pair_not_per_row():
    usages = {"field": "usage", "values": ["private-china", "commuter-europe"]}
    doc = _doc(VEHICLES, POWER, PRICES, usages)
    res = nevcalc.sweep(doc)
    assert res.scenarios == 3 * 3 * 6 * 2
    assert res.stats["charge_pairs"] == 3 * 3  # vehicles x charger powers
    assert res.stats["health_points"] == 3 * 3 * 2  # ... x usages; prices only reach cost


def test_cost_properties_hold_across_the_grid():
    res = nevcalc.sweep(_doc(VEHICLES, PRICES))
    x = res.to_xarray()
    cost = x["running_cost_per_km"].values  # (vehicle, price)
    assert np.all(np.diff(cost, axis=1) > 0)  # dearer electricity never costs less
    energy = x["cost_energy"].values
    share = 0.2  # private-china: 20 % of the energy at 1.4 CNY/kWh
    price = x["usage.electricity_price"].values
    fast = 1.4 * 0.13897  # CNY -> USD at the reference-year rate
    mix = (1 - share) * price + share * fast
    expected = np.broadcast_to(mix / mix[0], energy.shape)
    np.testing.assert_allclose(energy / energy[:, :1], expected, rtol=1e-12)


def test_infeasible_rows_carry_a_reason():
    doc = _doc({"field": "vehicle", "values": ["kia-ev6-77", "nio-et7-150"]},
               base={"vehicle": "kia-ev6-77", "charger": "tesla-v2"})  # fmt: skip
    res = nevcalc.sweep(doc)
    reason = dict(zip(res.names["vehicle"], res.columns["reason"], strict=True))
    # every shipped vehicle is answered: semi-solid cells age on their labelled stand-in
    assert reason["nio-et7-150"] == 0
    assert np.isfinite(res.columns["running_cost_per_km"][1])
    assert res.columns["years_to_80"][1] > 0  # a number of years (inf: beyond 40), not NaN
    from nevcalc.sweeps.evaluate import REASONS

    assert reason["kia-ev6-77"] in REASONS


# --- Monte Carlo ---------------------------------------------------------------------------


MC = {"field": "usage.fast_charge_share", "distribution": "triangular", "low": "0 %",
      "mode": "20 %", "high": "80 %"}  # fmt: skip
MC_POWER = {"field": "charger.max_power", "distribution": "uniform", "low": "100 kW",
            "high": "1000 kW"}  # fmt: skip


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


def test_random_charger_power_interpolates_the_charging_answer():
    from dataclasses import replace

    from nevcalc.scenario.charge import charge, load_charger, load_vehicle

    res = nevcalc.sweep(_doc(MC_POWER, draws={"n": 20, "seed": 1}))
    veh, base = load_vehicle("byd-han-l"), load_charger("byd-megawatt")
    for p, t in zip(res.columns["charger.max_power"], res.columns["charge_10_80"], strict=True):
        ans = charge(veh, replace(base, max_power=p * 1e3), 0.1, 0.8)
        assert t == pytest.approx(ans.duration / 60, rel=0.01)


# --- output --------------------------------------------------------------------------------


def test_parquet_and_csv_carry_units(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "s.parquet"
    nevcalc.sweep(_doc(VEHICLES, POWER), str(out))
    table = pq.read_table(out)
    assert table.num_rows == 9
    assert table.schema.field("charge_10_80").metadata[b"unit"] == b"min"
    assert table.schema.field("charger.max_power").metadata[b"unit"] == b"kW"
    assert table.column("vehicle").to_pylist()[0] == "byd-han-l"
    csv = tmp_path / "s.csv"
    nevcalc.sweep(_doc(VEHICLES, POWER), str(csv))
    header = csv.read_text().splitlines()[0]
    assert "charge_10_80 [min]" in header and "running_cost_per_km [USD/km]" in header
    assert not list(tmp_path.glob("*.parts")) and not list(tmp_path.glob(".*tmp*"))


def _mc_doc():
    return _doc(MC, MC_POWER, PRICES, draws={"n": 3000, "seed": 11})


def test_an_interrupted_sweep_resumes_to_the_same_bytes(tmp_path):
    whole = tmp_path / "whole.parquet"
    nevcalc.sweep(_mc_doc(), str(whole), chunk_rows=2048)
    part = tmp_path / "part.parquet"
    first = nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048, stop_after=3)
    assert first.output is None and not part.exists()  # never a half file under the name
    assert len(list((tmp_path / "part.parquet.parts").glob("part-*"))) == 3
    with pytest.raises(InputError, match="--resume"):
        nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048)
    with pytest.raises(InputError, match="different sweep"):
        nevcalc.sweep(_mc_doc(), str(part), chunk_rows=1024, resume=True)
    nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048, resume=True)
    assert part.read_bytes() == whole.read_bytes()


def test_kill_9_then_resume_gives_the_uninterrupted_file(tmp_path):
    spec = tmp_path / "mc.toml"
    doc = _mc_doc()
    doc["draws"]["n"] = 40000
    spec.write_text(_toml(doc))
    whole = tmp_path / "whole.csv"
    cmd = [sys.executable, "-m", "nevcalc.cli", "sweep", str(spec), "--chunk-rows", "1024"]
    subprocess.run([*cmd, "-o", str(whole)], check=True, capture_output=True)
    out = tmp_path / "killed.csv"
    proc = subprocess.Popen([*cmd, "-o", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    parts = tmp_path / "killed.csv.parts"
    deadline = time.time() + 60
    while time.time() < deadline and len(list(parts.glob("part-*"))) < 2:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    subprocess.run([*cmd, "-o", str(out), "--resume"], check=True, capture_output=True)
    assert out.read_bytes() == whole.read_bytes()


def test_summary_quantiles_best_and_pareto_without_keeping_rows():
    doc = _doc(VEHICLES, POWER, PRICES,
               summary={"group_by": ["vehicle"], "best": ["running_cost_per_km"],
                        "pareto": ["charge_10_80", "running_cost_per_km"]})  # fmt: skip
    full = nevcalc.sweep(doc)
    summ = nevcalc.sweep(doc, summary=True, stream=True)
    assert summ.columns is None
    df = full.to_pandas()
    for g in summ.summary["groups"]:
        rows = df[df.vehicle == g["group"]["vehicle"]]
        m = g["metrics"]["running_cost_per_km"]
        exact = np.quantile(rows.running_cost_per_km, 0.5, method="inverted_cdf")
        assert m["q50"] == exact  # exact: every value kept
        assert m["mean"] == pytest.approx(rows.running_cost_per_km.mean(), rel=1e-12)
        best = g["best"]["running_cost_per_km"]
        assert best["running_cost_per_km"] == pytest.approx(rows.running_cost_per_km.min())
    a, b = df.charge_10_80.to_numpy(), df.running_cost_per_km.to_numpy()
    dominated = np.array([np.any((a <= a[i]) & (b <= b[i]) & ((a < a[i]) | (b < b[i])))
                          for i in range(a.size)])  # fmt: skip
    front = summ.summary["pareto"]["rows"]
    assert len(front) == int((~dominated).sum())
    assert {(r["charge_10_80"], r["running_cost_per_km"]) for r in front} == set(
        zip(a[~dominated], b[~dominated], strict=True)
    )


def test_python_api_converts_to_pandas_and_xarray():
    res = nevcalc.sweep(_doc(VEHICLES, POWER, PRICES))
    df = res.to_pandas()
    assert len(df) == 54 and df.attrs["units"]["charge_10_80"] == "min"
    ds = res.to_xarray()
    assert ds["charge_10_80"].dims == ("vehicle", "charger.max_power", "usage.electricity_price")
    assert list(ds["charger.max_power"].values) == [100.0, 350.0, 1000.0]
    assert ds["running_cost_per_km"].attrs["units"] == "USD/km"


def test_cli_json_run_summary(run_cli, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(_toml(_doc(VEHICLES, POWER)))
    out = tmp_path / "o.parquet"
    code, stdout, err = run_cli("sweep", str(spec), "-o", str(out), "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["scenarios"] == 9 and doc["output"] == str(out)
    assert doc["scenarios_per_second"] > 0 and doc["seconds"] > 0
    code, _o, err = run_cli("sweep", "no-such-sweep")
    assert code == 2 and "no sweep named" in err
    code, _o, err = run_cli("sweep", str(spec), "--resume")
    assert code == 2 and "-o" in err


@pytest.mark.slow
def test_dask_engine_writes_the_same_file(tmp_path):
    pytest.importorskip("distributed")
    local, remote = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    nevcalc.sweep(_mc_doc(), str(local), chunk_rows=2048)
    res = nevcalc.sweep(_mc_doc(), str(remote), chunk_rows=2048, engine="dask", workers=2)
    assert res.engine == "dask"
    assert Path(remote).read_bytes() == Path(local).read_bytes()


def test_local_threads_do_not_change_the_output(tmp_path):
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    nevcalc.sweep(_mc_doc(), str(one), chunk_rows=2048, workers=1)
    nevcalc.sweep(_mc_doc(), str(two), chunk_rows=2048, workers=2)
    assert one.read_bytes() == two.read_bytes()


def test_a_bad_output_is_refused_before_any_work(monkeypatch, tmp_path):
    import nevcalc.sweeps.engine as engine

    def no_work(*_a, **_k):
        raise AssertionError("the models ran before the output was checked")

    monkeypatch.setattr(engine, "prepare", no_work)
    for out, needle in ((tmp_path / "x.txt", ".parquet or .csv"),
                        (tmp_path / "no" / "x.csv", "does not exist")):  # fmt: skip
        with pytest.raises(InputError, match=needle):
            nevcalc.sweep(_doc(POWER), str(out))
    assert not list(tmp_path.glob("*.parts"))


def test_progress_bar_on_a_terminal_only(monkeypatch):
    from nevcalc.sweeps.engine import _progress

    assert _progress(3, 1000, quiet=False) is None  # tests run in a pipe
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = _progress(3, 1000, quiet=False)
    try:
        assert bar is not None
        columns = " ".join(type(c).__name__ for c in bar.columns)
        assert "TimeRemainingColumn" in columns  # the ETA
        assert "{task.fields[rate]}" in str([getattr(c, "text_format", "") for c in bar.columns])
    finally:
        bar.stop()
    assert _progress(3, 1000, quiet=True) is None


# --- axes over any quantity field of the spec schema -------------------------------------


def test_vehicle_and_charger_field_axes_equal_the_changed_specs():
    from dataclasses import replace

    from nevcalc import catalog
    from nevcalc.scenario.charge import charge, load_charger, vehicle_from_spec

    energy = {"field": "vehicle.battery_usable_energy", "values": ["60 kWh", "100 kWh"]}
    volts = {"field": "charger.max_voltage", "values": ["500 V", "920 V"]}
    res = nevcalc.sweep(_doc(energy, volts, base={"vehicle": "kia-ev6-77",
                                                  "charger": "ionity-350"}))  # fmt: skip
    spec = catalog.load("kia-ev6-77", "vehicle")
    chem = catalog.load(spec["chemistry"], "chemistry")
    ionity = load_charger("ionity-350")
    c = res.columns
    for i in range(4):
        kwh, volt = c["vehicle.battery_usable_energy"][i], c["charger.max_voltage"][i]
        changed = replace(spec, values={**spec.values, "battery_usable_energy": kwh * 3.6e6})
        ans = charge(vehicle_from_spec(changed, chem), replace(ionity, max_voltage=volt * 1.0),
                     0.1, 0.8)  # fmt: skip
        assert c["charge_10_80"][i] == pytest.approx(ans.duration / 60, rel=2e-4)
    # an 800 V pack on a 500 V charger charges through its booster: slower
    t = dict(zip(zip(c["vehicle.battery_usable_energy"], c["charger.max_voltage"],
                     strict=True), c["charge_10_80"], strict=True))  # fmt: skip
    assert t[(60.0, 500.0)] > t[(60.0, 920.0)]
    assert c["range"][2] > c["range"][0]  # more energy, more range


def test_a_chemistry_field_axis_reaches_the_cost():
    cost = {"field": "chemistry.pack_cost", "values": ["100 USD/kWh", "200 USD/kWh"]}
    res = nevcalc.sweep(_doc(cost, base={"vehicle": "kia-ev6-77", "charger": "ionity-350",
                                         "usage": "ride-hailing-china"}))  # fmt: skip
    rep = res.columns["cost_replacement"]
    assert rep[0] > 0  # the NMC pack is replaced in ten years of ride-hailing
    assert rep[1] == pytest.approx(2 * rep[0], rel=1e-12)


def test_fields_that_rebuild_the_car_cannot_be_drawn():
    axis = {"field": "vehicle.curb_mass", "distribution": "normal", "mean": "2000 kg",
            "sd": "100 kg"}  # fmt: skip
    with pytest.raises(SpecError, match="give values or a range"):
        plan_from_dict(_doc(axis, draws={"n": 10}))
    with pytest.raises(SpecError, match="specs fields vehicle"):
        plan_from_dict(_doc({"field": "vehicle.colour", "values": [1]}))


def test_soc_window_axes_parking_fuller_never_leaves_more_capacity():
    top = {"field": "usage.soc_high", "values": ["70 %", "80 %", "90 %", "100 %"]}
    cars = {"field": "vehicle", "values": ["kia-ev6-77", "zeekr-7x-lfp"]}
    res = nevcalc.sweep(_doc(cars, top))
    ds = res.to_xarray()
    q = ds["capacity_end"].values  # (vehicle, soc_high)
    assert np.all(np.diff(q, axis=1) < 0)
    with pytest.raises(InputError, match="upside down"):
        nevcalc.sweep(_doc(top, base={"vehicle": "kia-ev6-77", "usage.soc_low": "85 %"}))
    with pytest.raises(SpecError, match="give values or a range"):
        plan_from_dict(_doc({"field": "usage.soc_high", "distribution": "uniform",
                             "low": "70 %", "high": "90 %"}, draws={"n": 5}))  # fmt: skip
