"""Seed scenarios: industry claims put to the models."""

from __future__ import annotations

import json

import pytest

from nevcalc.scenario.scenarios import list_scenarios, run_scenario

SHIPPED = ("byd-super-e-platform", "china-2021-2025", "solid-state")


def test_shipped_scenarios_are_listed(run_cli):
    names = [n for n, _t, _p in list_scenarios()]
    assert set(SHIPPED) <= set(names)
    code, out, _err = run_cli("scenario", "list", "--json")
    assert code == 0
    assert {d["name"] for d in json.loads(out)} >= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_runs_with_sourced_claims(run_cli, name):
    code, out, err = run_cli("scenario", "run", name, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["cases"]) >= 2
    assert doc["claims"], "a seed scenario checks at least one claim"
    for claim in doc["claims"]:
        assert claim["source"] and claim["kind"] == "claimed"
        assert claim["holds"] in (True, False, None)
        verdicts = {True: "holds", False: "does not hold", None: "cannot tell"}
        assert claim["verdict"] == verdicts[claim["holds"]]
        assert (claim["computed"] is None) == (claim["holds"] is None)
    for case in doc["cases"]:
        for key in ("charge_10_80", "km_in_5_min", "range", "capacity_year_8", "cost_per_km"):
            assert case["metrics"][key]["value"] is not None, (case["name"], key)


def test_more_charger_power_never_adds_fewer_km():
    ans = run_scenario("byd-super-e-platform")
    km = {c.name: c.metrics["km_in_5_min"] for c in ans.cases}
    assert km["megawatt"] >= km["600-kw"] >= km["gbt-2015"]
    t = {c.name: c.metrics["charge_10_80"] for c in ans.cases}
    assert t["megawatt"] <= t["600-kw"] <= t["gbt-2015"]
    # the charger does not change the car's range or its cells' calendar
    assert len({round(c.metrics["range"], 6) for c in ans.cases}) == 1


def test_same_pack_mass_range_scales_with_pack_specific_energy():
    """Keeping pack mass keeps the car's mass, so consumption is unchanged and range
    follows the pack's specific energy exactly."""
    cases = {c.name: c.metrics for c in run_scenario("solid-state").cases}
    a, b = cases["nmc811"], cases["solid-state-same-mass"]
    assert b["pack_mass"] == pytest.approx(a["pack_mass"])
    ratio_se = b["pack_specific_energy"] / a["pack_specific_energy"]
    assert b["range"] / a["range"] == pytest.approx(ratio_se, rel=1e-9)
    c = cases["solid-state-same-energy"]
    assert c["usable_energy"] == pytest.approx(a["usable_energy"])
    assert c["pack_mass"] < a["pack_mass"] and c["range"] > a["range"]


def test_pack_prices_are_compared_in_constant_dollars():
    """BNEF's China pack averages: 111 USD/kWh (2021 dollars) and 84 (2025 dollars);
    deflated with US CPI-U (BLS) the change is 84/111 x CPI2021/CPI2025."""
    cases = {c.name: c.metrics for c in run_scenario("china-2021-2025").cases}
    ratio = cases["2025"]["pack_price"] / cases["2021"]["pack_price"]
    assert ratio == pytest.approx(84 / 111 * 270.970 / 322.0, rel=1e-9)


_BASE = """kind = "scenario"
title = "t"
[[case]]
name = "a"
vehicle = "byd-han-l"
charger = "byd-megawatt"
"""


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (_BASE.replace('name = "a"', 'name = "a"\ncolour = "red"'), "unknown key"),
        (_BASE.replace("byd-han-l", "no-such-car"), "no-such-car"),
        (_BASE + '[[claim]]\nmetric = "speed"\ncase = "a"\nvalue = "1"\n', "not one of"),
        (_BASE + '[[claim]]\nmetric = "range"\ncase = "a"\nvalue = "500 km"\n', "source"),
        (
            _BASE + '[[claim]]\nmetric = "range"\ncase = "a"\nvalue = "5 kW"\n'
            'source = "x"\nkind = "claimed"\n',
            "length",
        ),
        (_BASE.replace('kind = "scenario"', 'kind = "vehicle"'), "scenario"),
        ("kind = 'scenario'\n[[case]\n", "TOML"),
    ],
)
def test_bad_scenario_files_get_clear_errors(run_cli, tmp_path, text, needle):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    code, _out, err = run_cli("scenario", "run", str(f))
    assert code in (1, 2)
    assert needle in err and "Traceback" not in err


def test_unknown_scenario_is_a_usage_error(run_cli):
    code, _out, err = run_cli("scenario", "run", "no-such-scenario")
    assert code == 2
    assert "china-2021-2025" in err


def test_the_ride_hailing_nmc_car_ages_in_a_climate_at_gbt_rates():
    """The solid-state scenario's NMC Kia EV6 in ride-hailing: aged in Guangzhou's months
    on the usage's GB/T chargers, not at 30 degC all year on a 350 kW charger. Published
    taxi fleets of liquid-cooled cars stay above 80 % well past 200,000 km
    (tests/validation/data/fleet_retention.csv: Gatwick's taxis 82 % at 480,000 km,
    a Helsinki taxi 93 % at 400,000 km, an Ioniq 5 87.7 % at 580,000 km)."""
    ans = run_scenario("solid-state")
    nmc = next(c for c in ans.cases if c.name == "nmc811")
    assert "ionity" not in nmc.title
    assert nmc.metrics["km_to_80"] > 200_000 * 1000.0  # [m]


def test_a_claim_whose_metric_is_not_reached_cannot_be_told(run_cli):
    """Both Han batteries stay above 80 % for the 40-year horizon in ride-hailing: "+40 %
    km to 80 %" cannot be computed, so the verdict is "cannot tell", neither holds nor not."""
    ans = run_scenario("china-2021-2025")
    check = next(c for c in ans.checks if c.metric == "km_to_80")
    cases = {c.name: c.metrics for c in ans.cases}
    assert cases["2021"]["km_to_80"] is None and cases["2025"]["km_to_80"] is None
    assert check.holds is None and check.verdict == "cannot tell"
    code, out, err = run_cli("scenario", "run", "china-2021-2025")
    assert code == 0, err
    line = next(ln for ln in out.splitlines() if "km to 80 %" in ln and "claim" in ln)
    assert "cannot tell" in line and "does not hold" not in line


def test_scenario_answer_prints_one_line_and_a_table():
    from tests.helpers import check_html, check_repr

    ans = run_scenario("solid-state")
    verdicts = [c.verdict for c in ans.checks]
    check_repr(ans, "ScenarioAnswer", "solid-state", f"{len(ans.cases)} cases",
               f"{verdicts.count('holds')} holds")  # fmt: skip
    check_html(ans, *verdicts, "Wh/kg", "km", ans.cases[0].name, "CATL")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("dollar_year = 2021", 'dollar_year = "x"', "dollar_year: 'x' is not a year"),
        ("dollar_year = 2021", "dollar_year = nan", "dollar_year: nan is not a year"),
        ("dollar_year = 2021", "dollar_year = 1e308", "dollar_year: 1e+308 is not a year"),
        ('value = "111 USD/kWh"', 'value = "-111 USD/kWh"', "case[0].pack_price: "),
        ('value = "3x"', 'value = "nanx"', "'nanx' is not a ratio"),
        ('value = "3x"', 'value = "fastx"', "'fastx' is not a ratio"),
        ('value = "3x"', 'value = "-3x"', "'-3x' is not a ratio"),
        ('value = "-30 %"', 'value = "-200 %"', "leaves no positive ratio"),
    ],
)
def test_bad_figures_in_a_scenario_file_name_the_file_and_key(tmp_path, old, new, needle):
    """Wrong types and impossible ratios in a scenario file: one problem naming the file and
    the key, exit 1 (a file problem), never an internal error or a NaN claim."""
    from pathlib import Path

    from nevcalc.errors import SpecError
    from nevcalc.io import BUNDLED_SPECS
    from tests.badinput.harness import run_inprocess

    text = (Path(BUNDLED_SPECS) / "scenarios" / "china-2021-2025.toml").read_text()
    assert old in text
    path = tmp_path / "sc.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SpecError) as exc:
        run_scenario(str(path))
    assert needle in str(exc.value) and "sc.toml" in str(exc.value)
    res = run_inprocess(("scenario", "run", str(path), "--json"))
    assert res.code == 1 and res.exception is None
    assert res.err.startswith("nevcalc: error:") and "internal error" not in res.err


def _claim(metric: str, value: str) -> str:
    return (_BASE + f'[[claim]]\nmetric = "{metric}"\ncase = "a"\nvalue = {value}\n'
            'source = "x"\nkind = "claimed"\n')  # fmt: skip


@pytest.mark.parametrize(
    ("metric", "value", "needles"),
    [
        ("range", '"-500 km"', ["is not positive", "above 0, up to 10000 km", "e.g. 500 km"]),
        ("range", '"0 km"', ["is not positive", "above 0, up to 10000 km"]),
        ("range", '"1e9 km"', ["above the allowed range", "up to 10000 km"]),
        ("charge_10_80", '"-5 min"', ["is not positive", "min"]),
        ("usable_energy", '"0 kWh"', ["is not positive", "kWh"]),
        ("km_in_5_min", '"-400 km"', ["is not positive", "km"]),
        ("years_to_80", '"-2 year"', ["is not positive", "year"]),
        ("capacity_year_8", '"-5 %"', ["is not positive", "above 0, up to 100 %"]),
    ],
)
def test_a_claim_figure_out_of_bounds_is_refused_naming_file_key_and_bounds(
    run_cli, tmp_path, metric, value, needles
):
    from nevcalc.errors import SpecError

    path = tmp_path / "sc.toml"
    path.write_text(_claim(metric, value))
    with pytest.raises(SpecError) as exc:
        run_scenario(str(path))
    text = str(exc.value)
    assert text.startswith(f"{path}: claim[0].value: "), text
    assert all(n in text for n in needles), text
    code, out, err = run_cli("scenario", "run", str(path), "--json")
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and "claim[0].value" in err and str(path) in err


@pytest.mark.parametrize(
    ("metric", "value", "example"),
    [
        ("range", "500", "'500 km'"),
        ("range", '"500"', "'500 km'"),
        ("charge_10_80", "18", "'18 min'"),
        ("peak_power", '"1000"', "'1000 kW'"),
        ("cost_per_km", "0.3", "'0.3 USD/km'"),
    ],
)
def test_a_claim_figure_without_its_unit_is_refused_naming_the_unit(
    run_cli, tmp_path, metric, value, example
):
    from nevcalc.errors import SpecError

    path = tmp_path / "sc.toml"
    path.write_text(_claim(metric, value))
    with pytest.raises(SpecError) as exc:
        run_scenario(str(path))
    text = str(exc.value)
    assert text.startswith(f"{path}: claim[0].value: "), text
    assert "has no unit" in text and example in text, text
    code, out, err = run_cli("scenario", "run", str(path))
    assert code == 1 and out == "" and "has no unit" in err


def test_a_change_without_its_unit_is_refused(tmp_path):
    from nevcalc.errors import SpecError

    text = _BASE + '[[case]]\nname = "b"\nvehicle = "kia-ev6-77"\n'
    text += ('[[claim]]\nmetric = "range"\nfrom = "a"\nto = "b"\nvalue = "30"\n'
             'source = "x"\nkind = "claimed"\n')  # fmt: skip
    path = tmp_path / "sc.toml"
    path.write_text(text)
    with pytest.raises(SpecError) as exc:
        run_scenario(str(path))
    assert str(exc.value).startswith(f"{path}: claim[0].value: '30' has no unit")
    assert "'+30 %'" in str(exc.value) and "'3x'" in str(exc.value)


@pytest.mark.parametrize(
    ("metric", "value"),
    [("efc_to_80", '"2000"'), ("efc_to_80", "2000"), ("capacity_year_8", '"90 %"'),
     ("capacity_year_8", "0.9"), ("range", '"500 km"'), ("range", '"310 mi"')],
)  # fmt: skip
def test_claim_figures_in_bounds_with_their_units_are_checked(tmp_path, metric, value):
    path = tmp_path / "sc.toml"
    path.write_text(_claim(metric, value))
    [check] = run_scenario(str(path)).checks
    assert check.claimed > 0 and check.metric == metric
