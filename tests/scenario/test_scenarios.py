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
