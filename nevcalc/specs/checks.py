"""Checks across the fields of one spec, as a battery or vehicle engineer would make them.

The schema bounds each field on its own; these rules relate fields to each
other (a charge limit above the discharge cut-off, an OCV curve that rises
with state of charge, a charger whose voltage window is a window). They run on
the spec after ``extends`` is applied, on SI floats, without pint.

Each rule yields one line naming the file, the keys, the values and the fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from nevcalc.specs.model import Table

__all__ = ["CELL_VOLTS", "MIN_SOC_WINDOW", "check_spec"]

#: Narrowest usable window usable_soc_max - usable_soc_min [-].
MIN_SOC_WINDOW = 0.10

_SHOW = {  # SI factor and unit to show values in
    "V": (1.0, "V"),
    "J": (3.6e6, "kWh"),
    "W": (1e3, "kW"),
    "kg": (1.0, "kg"),
    "%": (0.01, "%"),
    "J/m3": (3.6e3 * 1e3, "Wh/L"),
    "USD/J": (1 / 3.6e6, "USD/kWh"),
}


def _fmt(value: float, dim: str) -> str:
    factor, unit = _SHOW[dim]
    return f"{value / factor:.4g} {unit}"


def _pair(
    lo_key: str, hi_key: str, dim: str, what: str, strict: bool = True
) -> Callable[[Mapping[str, Any]], Iterator[str]]:
    """Rule: ``values[lo_key] < values[hi_key]`` (``<=`` when not strict)."""

    def rule(v):
        lo, hi = v.get(lo_key), v.get(hi_key)
        if lo is None or hi is None:
            return
        if lo > hi or (strict and lo == hi):
            rel = "not below" if strict else "above"
            yield (
                f"{lo_key} {_fmt(lo, dim)} is {rel} {hi_key} {_fmt(hi, dim)}: {what}; "
                "correct one of the two"
            )

    return rule


def _rising_table(key: str, what: str):
    def rule(v):
        t = v.get(key)
        if not isinstance(t, Table):
            return
        for i in range(1, len(t.value)):
            if t.value[i] < t.value[i - 1]:
                yield (
                    f"{key} falls from {t.value[i - 1]:.4g} V at {t.soc[i - 1]:.0%} to "
                    f"{t.value[i]:.4g} V at {t.soc[i]:.0%} SoC: {what}; check the order of "
                    "the values"
                )
                return

    return rule


def _positive_somewhere(key: str, what: str):
    def rule(v):
        t = v.get(key)
        if isinstance(t, Table) and max(t.value) <= 0:
            yield f"{key}: every value is 0: {what}; give at least one value above 0"

    return rule


def _soc_window(v):
    lo, hi = v.get("usable_soc_min"), v.get("usable_soc_max")
    if lo is None or hi is None:
        return
    if hi - lo < MIN_SOC_WINDOW - 1e-12:
        yield (
            f"usable_soc_min {lo:.3g} and usable_soc_max {hi:.3g} leave a usable window of "
            f"{max(hi - lo, 0):.0%}, less than the {MIN_SOC_WINDOW:.0%} a pack needs; "
            "usable_soc_min must lie well below usable_soc_max"
        )


def _ocv_below_charge_limit(v):
    t, vmax = v.get("ocv"), v.get("cell_voltage_max")
    if isinstance(t, Table) and vmax is not None and max(t.value) > vmax * (1 + 1e-9):
        yield (
            f"ocv reaches {max(t.value):.4g} V, above cell_voltage_max {vmax:.4g} V: the cell "
            "could never be charged there; lower the OCV table or raise cell_voltage_max"
        )


def _charge_transfer_within_r0(v):
    r0 = v.get("cell_resistance")
    keys = ("charge_transfer_resistance_negative", "charge_transfer_resistance_positive")
    parts = [v[k] for k in keys if v.get(k) is not None]
    if r0 is None or not parts or sum(parts) <= r0 * (1 + 1e-9):
        return
    yield (
        f"charge_transfer_resistance_negative + _positive {sum(parts) * 1e3:.4g} mohm is above "
        f"cell_resistance {r0 * 1e3:.4g} mohm: the charge transfer is part of R0; raise "
        "cell_resistance or lower the charge-transfer resistances"
    )


#: Voltage class over series cells a real pack has [V]: cells hold 1-5 V, and a class
#: names a round figure (the 800 V Ioniq 5 58 kWh has 144 cells, 5.6 V of class a cell).
CELL_VOLTS = (1.0, 6.0)


def _volts_per_cell(v):
    u, n = v.get("voltage_class"), v.get("series_cells")
    if u is None or not n:
        return
    lo, hi = CELL_VOLTS
    if not lo <= u / n <= hi:
        yield (
            f"voltage_class {u:.4g} V over series_cells {n} is {u / n:.3g} V a cell, outside "
            f"the {lo:g}-{hi:g} V a voltage class puts on each cell in series; correct "
            "series_cells or voltage_class"
        )


_RULES: dict[str, tuple] = {
    "chemistry": (
        _pair(
            "cell_voltage_min",
            "cell_voltage_max",
            "V",
            "the discharge cut-off must lie below the charge limit",
        ),
        _rising_table("ocv", "an open-circuit voltage rises with state of charge"),
        _ocv_below_charge_limit,
        _soc_window,
        _charge_transfer_within_r0,
        _positive_somewhere("charge_c_rate", "the cell would accept no charge"),
        _positive_somewhere("typical_power_taper", "the pack would accept no charge"),
        _pair(
            "pack_energy_density",
            "cell_energy_density",
            "J/m3",
            "a pack holds its cells plus housing, so it is less dense",
            strict=False,
        ),
        _pair(
            "cell_cost",
            "pack_cost",
            "USD/J",
            "a pack costs its cells plus the rest",
            strict=False,
        ),
    ),
    "charger": (
        _pair("min_voltage", "max_voltage", "V", "the charger's output voltage window is empty"),
    ),
    "vehicle": (
        _pair(
            "battery_usable_energy",
            "battery_gross_energy",
            "J",
            "the usable energy is part of the installed energy",
            strict=False,
        ),
        _pair("pack_mass", "curb_mass", "kg", "the pack is part of the car's mass"),
        _pair("pack_mass", "test_mass", "kg", "the pack is part of the test mass"),
        _pair(
            "curb_mass",
            "test_mass",
            "kg",
            "the test mass is the curb mass plus the test load",
            strict=False,
        ),
        _volts_per_cell,
        _pair(
            "regen_power",
            "motor_power",
            "W",
            "the motor cannot recover more than its rated power",
            strict=False,
        ),
        _positive_somewhere("charge_power_limit", "the car would accept no charge"),
    ),
    "usage": (
        _pair("soc_low", "soc_high", "%", "the car is driven down from soc_high to soc_low"),
    ),
}


def check_spec(kind: str, values: Mapping[str, Any], where: str) -> list[str]:
    """Problems between the fields of a spec, one line each.

    Parameters
    ----------
    kind : str
        Spec kind (``"chemistry"``, ``"vehicle"``, ``"charger"``, ``"usage"``).
    values : mapping
        The spec's values in SI, ``extends`` applied.
    where : str
        The file, for messages.

    Returns
    -------
    list of str
        Empty when the spec is consistent.
    """
    return [f"{where}: {line}" for rule in _RULES.get(kind, ()) for line in rule(values)]
