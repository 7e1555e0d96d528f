"""The cost answer: the cost command, usage specs, running cost and the replacement pack."""

from __future__ import annotations

import pytest


def test_cost_cli_parts_sum_and_currencies(run_cli):
    import json

    from nevcalc.units import exchange_rate

    code, out, err = run_cli("cost", "byd-han-l", "--charger", "byd-megawatt", "--fast-share",
                             "20%", "--electricity", "0.6 CNY/kWh", "--json")  # fmt: skip
    assert code == 0, err
    usd = json.loads(out)
    parts = sum(p["value"] for p in usd["parts"].values())
    assert usd["total"]["value"] == pytest.approx(parts, abs=0.05)
    assert usd["total"]["unit"] == "USD" and usd["per_km"]["unit"] == "USD/km"
    code, out, err = run_cli("cost", "byd-han-l", "--charger", "byd-megawatt", "--fast-share",
                             "20%", "--electricity", "0.6 CNY/kWh", "--currency", "CNY",
                             "--json")  # fmt: skip
    cny = json.loads(out)
    assert cny["total"]["value"] * exchange_rate("CNY") == pytest.approx(
        usd["total"]["value"], rel=1e-4
    )
    # the spec's price is the launch price in CNY
    assert cny["parts"]["purchase"]["value"] == pytest.approx(219_800, rel=1e-6)


def test_cost_rises_with_the_home_electricity_price(run_cli):
    import json

    totals = []
    for price in ("0.1 USD/kWh", "0.3 USD/kWh"):
        code, out, err = run_cli("cost", "byd-han-l", "--electricity", price, "--json")
        assert code == 0, err
        totals.append(json.loads(out)["total"]["value"])
    assert totals[1] > totals[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["cost", "byd-han-l", "--currency", "GBP"], ["GBP"]),
        (["cost", "byd-han-l", "--electricity", "0.6 CNY"], ["electricity", "money per energy"]),
        (["cost", "byd-han-l", "--electricity", "-0.6 CNY/kWh"], ["negative"]),
        (["cost", "byd-han-l", "--fast-share", "150%"], ["fast-share"]),
        (["cost", "byd-han-l", "--km-per-year", "15 kg"], ["km-per-year"]),
    ],
)
def test_cost_bad_input(run_cli, args, words):
    code, out, err = run_cli(*args)
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    for w in words:
        assert w in err, err


def test_a_user_car_without_a_price_is_refused_with_the_fix(run_cli, tmp_path):
    """Every shipped car has a price; a user's own spec without one gets the fix."""
    from nevcalc.io import BUNDLED_SPECS

    text = (BUNDLED_SPECS / "vehicles" / "kia-ev6-77.toml").read_text()
    lines = [ln for ln in text.splitlines() if not ln.startswith("price")]
    mine = tmp_path / "my-ev6.toml"
    mine.write_text("\n".join(lines) + "\n")
    code, out, err = run_cli("cost", str(mine))
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    assert "no price" in err and "--vehicle-price" in err, err


def test_usage_spec_equals_the_same_options_given_by_hand():
    from nevcalc.scenario.cost import lifecycle

    by_usage = lifecycle("byd-han-l", usage="private-china")
    by_hand = lifecycle(
        "byd-han-l", "gbt-2015", km_per_year="12000 km", electricity="0.55 CNY/kWh",
        fast_price="1.4 CNY/kWh", fast_share="20 %", value_of_time="30 CNY/h",
        home_power="7 kW",
    )  # fmt: skip
    # the hand call ages on the default 30-80 % window at 25 degC; the usage on 20-80 %
    assert float(by_usage.parts.energy) == pytest.approx(float(by_hand.parts.energy), rel=1e-12)
    assert float(by_usage.parts.time) == pytest.approx(float(by_hand.parts.time), rel=1e-12)
    assert by_usage.distance_per_year == pytest.approx(12e6)


def test_options_win_over_the_usage_and_a_harder_duty_ages_faster():
    from nevcalc.scenario.cost import lifecycle

    base = lifecycle("byd-han-l", usage="private-china")
    dearer = lifecycle("byd-han-l", usage="private-china", electricity="1.0 CNY/kWh")
    assert float(dearer.parts.energy) > float(base.parts.energy)
    hard = lifecycle("byd-han-l", usage="ride-hailing-china")
    assert hard.capacity_at_end < base.capacity_at_end


def test_usage_with_an_upside_down_window_is_refused(run_cli, tmp_path):
    from nevcalc.io import BUNDLED_SPECS

    text = (BUNDLED_SPECS / "usage" / "private-china.toml").read_text()
    bad = tmp_path / "upside-down.toml"
    bad.write_text(text.replace('soc_low = { value = "20 %" }', 'soc_low = { value = "90 %" }'))
    code, _out, err = run_cli("cost", "byd-han-l", "--usage", str(bad))
    assert code in (1, 2)
    assert "soc_low" in err and "Traceback" not in err
    code, _out, err = run_cli("cost", "byd-han-l", "--usage", "no-such-usage")
    assert code == 2 and "usage" in err


def test_compare_shows_running_cost_per_km_equal_to_the_library(run_cli):
    import json

    from nevcalc.scenario.cost import running_cost

    code, out, err = run_cli("compare", "byd-han-l", "kia-ev6-77", "--charger", "ionity-350",
                             "--json")  # fmt: skip
    assert code == 0, err
    docs = {d["vehicle"]: d for d in json.loads(out)["vehicles"]}
    for name in ("byd-han-l", "kia-ev6-77"):
        got = docs[name]["running_cost_per_km"]
        assert got["unit"] == "USD/km"
        direct = float(running_cost(name, "ionity-350").parts.per_km)
        assert got["value"] == pytest.approx(direct, abs=1e-4)
        assert 0.005 < got["value"] < 1.0


def test_replacement_pack_is_priced_on_the_fitted_trend_for_its_year():
    import math

    from nevcalc.scenario.cost import lifecycle
    from nevcalc.scenario.trend import trend

    ans = lifecycle("kia-ev6-77", usage="ride-hailing-china", vehicle_price="45000 USD")
    ry = ans.replacement_year
    assert 1 <= ry < 10
    installed = ans.range.vehicle.installed_energy
    price_now = 128 / 3.6e6  # nmc811 pack_cost, BNEF 2025 NMC packs
    expected = 1.05**-ry * installed * price_now * math.exp(trend().time.slope * ry)
    assert float(ans.parts.replacement) == pytest.approx(expected, rel=1e-9)


def test_a_fast_share_on_a_charger_the_car_cannot_use_is_refused_not_priced_at_zero_power():
    from nevcalc.errors import InputError
    from nevcalc.scenario.cost import lifecycle

    # the Han L's 827 V pack cannot start on tesla-v2 (410 V at most) and has no booster
    with pytest.raises(InputError, match=r"cannot fast-charge on tesla-v2.*--fast-share 0%"):
        lifecycle("byd-han-l", "tesla-v2", fast_share="10%")
    ok = lifecycle("byd-han-l", "tesla-v2", fast_share="0%")
    assert ok.parts.per_km > 0


def test_fast_charge_time_is_kept_in_seconds_and_shown_in_hours():
    """The answer carries the time at fast chargers in SI; the document shows it in
    the registry's unit (h), and it scales with the distance driven."""
    from nevcalc.report import cost_document
    from nevcalc.scenario.cost import lifecycle

    one = lifecycle("byd-han-l", usage="private-china")
    two = lifecycle("byd-han-l", usage="private-china", km_per_year="24000 km")
    assert one.fast_charge_time_per_year > 0
    assert two.fast_charge_time_per_year == pytest.approx(2 * one.fast_charge_time_per_year)
    assert one.fast_charge_hours_per_year * 3600.0 == pytest.approx(
        one.fast_charge_time_per_year, rel=1e-15
    )
    doc = cost_document(one, "USD", 1.0)["fast_charge_time_per_year"]
    assert doc["unit"] == "h"
    assert doc["value"] == float(f"{one.fast_charge_time_per_year / 3600.0:.4g}")


def test_cost_answer_prints_one_line_and_a_table():
    from dataclasses import replace

    from nevcalc.scenario.cost import lifecycle
    from tests.helpers import check_escaped, check_html, check_repr

    ans = lifecycle("byd-han-l")
    total = f"{float(ans.parts.total):,.0f} USD"
    check_repr(ans, "CostAnswer", "byd-han-l", f"total {total} over 10 years", "USD/km")
    shown = check_html(ans, total, "USD/km", "energy (present value)", "km/year")
    assert f"{float(ans.parts.energy):,.0f} USD" in shown
    check_escaped(replace(ans, vehicle="<v>"), "<v>")


def test_one_ambient_is_a_climate_of_twelve_equal_months(tmp_path):
    """``--ambient -5`` prices and ages exactly as a climate spec whose every month is
    -5 degC."""
    from nevcalc.scenario.cost import lifecycle
    from nevcalc.specs.schema import MONTHS

    f = tmp_path / "flat.toml"
    f.write_text('kind = "climate"\ntitle = "flat"\nregion = "a test"\n'
                 + "".join(f'temperature_{m} = "-5 degC"\n' for m in MONTHS)
                 + '[provenance]\nsource = "a test"\nkind = "assumed"\n')  # fmt: skip
    by_file = lifecycle("kia-ev6-77", climate=str(f))
    by_air = lifecycle("kia-ev6-77", ambient=268.15)
    for a, b in zip(by_file.parts, by_air.parts, strict=True):
        assert float(a) == float(b)
    assert by_air.capacity_at_end == by_file.capacity_at_end


def test_a_heat_pump_and_a_cooler_cabin_lower_the_energy_bill_in_a_cold_climate():
    from nevcalc.scenario.cost import lifecycle

    resistive = lifecycle("kia-ev6-77", climate="oslo", heat_pump=False)
    pump = lifecycle("kia-ev6-77", climate="oslo", heat_pump=True)
    cool = lifecycle("kia-ev6-77", climate="oslo", heat_pump=False, cabin=290.15)
    assert float(pump.parts.energy) < float(resistive.parts.energy)
    assert float(cool.parts.energy) < float(resistive.parts.energy)
    # the car and its ageing are the same: only the energy changes
    assert pump.capacity_at_end == resistive.capacity_at_end
    # where the cabin is only ever cooled, a heat pump for heating changes nothing
    hot = [lifecycle("kia-ev6-77", climate="singapore", heat_pump=hp) for hp in (True, False)]
    assert float(hot[0].parts.energy) == float(hot[1].parts.energy)


@pytest.mark.parametrize(
    "args, words",
    [
        (("--ambient", "-5", "--climate", "oslo"), "give one"),
        (("--heat-pump",), "need --climate or --ambient"),
        (("--cabin", "18degC"), "need --climate or --ambient"),
    ],
)
def test_cost_air_options_that_do_not_go_together(run_cli, args, words):
    code, _, err = run_cli("cost", "kia-ev6-77", *args)
    assert code == 2 and words in err, err
