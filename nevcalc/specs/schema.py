"""The schema of every spec field, declared once.

Each :class:`Field` names its canonical unit (which fixes its dimension), its
bounds in that unit, whether it is required, and what it means. Loading,
validation, ``nevcalc specs show`` and the documentation all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FIELDS", "KINDS", "KIND_DIRS", "MONTHS", "PROVENANCE_KINDS", "Field", "fields_for"]

#: Allowed values of a figure's ``kind``.
PROVENANCE_KINDS = ("claimed", "measured", "official", "assumed")

#: Spec kinds and the folder each lives in.
KIND_DIRS = {
    "chemistry": "chemistries",
    "vehicle": "vehicles",
    "charger": "chargers",
    "usage": "usage",
    "climate": "climates",
    "route": "routes",
}
KINDS = tuple(KIND_DIRS)


@dataclass(frozen=True)
class Field:
    """One spec field.

    Attributes
    ----------
    name : str
        Key in the TOML file.
    type : str
        ``"quantity"`` (text with a unit), ``"table"`` (values against SoC),
        ``"text"``, ``"int"``, ``"ref"`` (the name of another spec) or
        ``"choice"``.
    unit : str
        Canonical unit (pint string); fixes the dimension. ``""`` for
        non-quantities. For tables, the unit of the values.
    lo, hi : float
        Bounds in ``unit``, inclusive. ``None`` for no bound.
    required : bool
        Must be present (after ``extends`` is applied).
    doc : str
        One line for people.
    ref_kind : str
        For ``ref`` fields, the kind of spec named.
    choices : tuple of str
        For ``choice`` fields.
    c_rate : bool
        A C-rate: a bare number or ``"4C"`` means per hour.
    x_key : str
        For tables, the name of the x list: ``"soc"`` (state of charge) or
        ``"load"`` (share of rated power); both in percent; ``"c_rate"`` (per hour);
        ``"temperature"`` (cell temperature in degC, kelvin in SI).
    """

    name: str
    type: str
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    required: bool = False
    doc: str = ""
    ref_kind: str = ""
    choices: tuple[str, ...] = ()
    c_rate: bool = False
    x_key: str = "soc"


def _q(name, unit, lo, hi, doc, required=False, c_rate=False):
    return Field(name, "quantity", unit, lo, hi, required, doc, c_rate=c_rate)


def _t(name, unit, lo, hi, doc, required=False, c_rate=False, x_key="soc"):
    return Field(name, "table", unit, lo, hi, required, doc, c_rate=c_rate, x_key=x_key)


_COMMON = (
    Field("title", "text", required=True, doc="Human-readable name"),
    Field("description", "text", doc="What this spec is, in a sentence or two"),
    Field("extends", "ref", doc="Name of a spec of the same kind whose values this one inherits"),
)

_CHEMISTRY = (
    Field(
        "family", "text", required=True, doc="Chemistry family: LFP, LMFP, NMC, NCA, Na-ion ..."
    ),
    _q("cell_voltage_max", "V", 1.0, 5.0, "Cell voltage at which CV charging starts", True),
    _q("cell_voltage_min", "V", 0.5, 4.0, "Cell discharge cut-off voltage", True),
    _t("ocv", "V", 0.5, 5.0, "Cell open-circuit voltage against SoC of the usable window", True),
    _q(
        "cell_capacity",
        "A*h",
        0.05,
        3000,
        "Capacity of the reference cell (resistances refer to it)",
        True,
    ),
    _q(
        "cell_resistance",
        "ohm",
        1e-6,
        1.0,
        "Ohmic + charge-transfer resistance R0 of the reference cell",
        True,
    ),
    _q(
        "cell_polarization_resistance",
        "ohm",
        0.0,
        1.0,
        "Diffusion/polarisation resistance R1 of the reference cell (RC branch)",
    ),
    _q(
        "cell_polarization_time_constant",
        "s",
        1.0,
        1e5,
        "Time constant of the polarisation (RC) branch",
    ),
    _q(
        "diffusion_time",
        "s",
        0.0,
        1e6,
        "Solid diffusion time R_p^2/D_p of the positive-electrode particles (0: neglect)",
    ),
    _q("usable_soc_min", "", 0.0, 0.5, "Cell SoC at the vehicle's displayed 0 %"),
    _q("usable_soc_max", "", 0.5, 1.0, "Cell SoC at the vehicle's displayed 100 %"),
    _q("cell_specific_energy", "Wh/kg", 30, 800, "Cell-level gravimetric energy", True),
    _q("cell_energy_density", "Wh/L", 30, 2000, "Cell-level volumetric energy"),
    _q(
        "pack_specific_energy",
        "Wh/kg",
        20,
        600,
        "Pack-level gravimetric energy (cell-to-pack included)",
    ),
    _q("cell_to_pack_mass_ratio", "", 0.3, 1.0, "Cell mass / pack mass"),
    _t(
        "charge_c_rate",
        "1/h",
        0.0,
        30.0,
        "Highest charge C-rate the cell accepts against SoC (cell taper)",
        True,
        c_rate=True,
    ),
    _t(
        "typical_power_taper",
        "",
        0.0,
        1.0,
        "Typical vehicle BMS charge power against SoC, as a fraction of peak power",
        True,
    ),
    _q("specific_heat_capacity", "J/(kg*K)", 300, 3000, "Cells' specific heat capacity"),
    _q(
        "resistance_activation_energy",
        "J/mol",
        0,
        150e3,
        "Activation energy of the cell resistance's rise in the cold",
    ),
    _q(
        "resistance_fixed_share",
        "",
        0,
        1,
        "Share of the cell resistance that does not change with temperature",
    ),
    _q(
        "cold_capacity_temperature",
        "K",
        223.15,
        298.15,
        "Cell temperature at which the cells deliver cold_capacity_share of their capacity",
    ),
    _q(
        "cold_capacity_share",
        "",
        0,
        1,
        "Share of the capacity the cells deliver at cold_capacity_temperature",
    ),
    _q(
        "charge_transfer_resistance_negative",
        "ohm",
        0,
        1,
        "Charge-transfer resistance RT/(F I0) of one cell's negative electrode at 25 degC, "
        "part of cell_resistance (Butler-Volmer, its exchange current Arrhenius)",
    ),
    _q(
        "charge_transfer_resistance_positive",
        "ohm",
        0,
        1,
        "Charge-transfer resistance RT/(F I0) of one cell's positive electrode at 25 degC, "
        "part of cell_resistance (Butler-Volmer, its exchange current Arrhenius)",
    ),
    _q(
        "charge_transfer_activation_negative",
        "J/mol",
        0,
        150e3,
        "Activation energy of the negative electrode's exchange current",
    ),
    _q(
        "charge_transfer_activation_positive",
        "J/mol",
        0,
        150e3,
        "Activation energy of the positive electrode's exchange current",
    ),
    _q(
        "plating_activation_energy",
        "J/mol",
        0,
        150e3,
        "Activation energy of the lithium-plating-safe charge current below full rate",
    ),
    _t(
        "charge_c_rate_temperature",
        "",
        0.0,
        1.0,
        "Plating-safe C-rate limit against cell temperature, over its full-rate value "
        "(in place of the plating activation energy)",
        x_key="temperature",
    ),
    _q(
        "full_rate_temperature",
        "K",
        233.15,
        333.15,
        "Cell temperature from which the C-rate table holds in full",
    ),
    _q(
        "charge_temperature_max",
        "K",
        273.15,
        353.15,
        "Cell temperature up to which the C-rate table holds (0 at 10 K above)",
    ),
    _q("cycle_life", "efc", 10, 1e6, "Equivalent full cycles to 80 % capacity"),
    Field(
        "ageing_model",
        "choice",
        choices=("lfp-gr-250ah", "nmc622-gr-denso", "nca-gr-panasonic3ah", "nmc811-grsi-lgmj1"),
        doc="Empirical capacity-fade model of nevcalc.model.degradation",
    ),
    _q("cell_cost", "USD/kWh", 5, 5000, "Cell price"),
    _q("pack_cost", "USD/kWh", 5, 5000, "Pack price per installed energy"),
    _q("pack_energy_density", "Wh/L", 20, 1500, "Pack-level volumetric energy"),
    _q("cell_to_pack_volume_ratio", "", 0.2, 1.0, "Cell volume / pack volume"),
)

_CHARGER = (
    Field(
        "current_type", "choice", required=True, choices=("dc", "ac"), doc="DC fast charger or AC"
    ),
    Field("connector", "text", doc="Connector standard (CCS2, NACS, GB/T, ChaoJi, MCS, ...)"),
    _q("max_power", "kW", 1, 10000, "Highest output power", True),
    _q("max_current", "A", 1, 5000, "Highest output current (DC)"),
    _q("max_voltage", "V", 50, 2000, "Highest output voltage (DC)"),
    _q("min_voltage", "V", 50, 2000, "Lowest output voltage (DC)"),
    _q("efficiency", "", 0.5, 1.0, "Grid-to-output efficiency"),
)

_VEHICLE = (
    Field("make", "text", required=True, doc="Manufacturer"),
    Field("model", "text", required=True, doc="Model name"),
    Field("variant", "text", doc="Variant, trim or battery option"),
    Field("market", "text", doc="Market and model year the figures belong to"),
    Field(
        "chemistry",
        "ref",
        ref_kind="chemistry",
        doc="Cell chemistry spec (estimated from the market when absent)",
    ),
    _q("battery_usable_energy", "kWh", 1, 1000, "Usable (net) battery energy", True),
    _q("battery_gross_energy", "kWh", 1, 1200, "Gross (installed) battery energy"),
    _q(
        "voltage_class",
        "V",
        100,
        1500,
        "System voltage class (400, 800, 1000 V; estimated from the peak power when absent)",
    ),
    Field(
        "series_cells", "int", lo=10, hi=500, doc="Cells in series; from voltage class if absent"
    ),
    _q(
        "max_charge_power",
        "kW",
        1,
        5000,
        "Peak DC charge power the vehicle accepts (estimated when absent)",
    ),
    _t("charge_power_limit", "kW", 0, 5000, "Vehicle (BMS) DC charge power limit against SoC"),
    _q("max_charge_current", "A", 1, 5000, "Highest DC current the inlet and pack accept"),
    _q("peak_charge_c_rate", "1/h", 0.1, 30, "Rated peak charge C-rate of the pack", c_rate=True),
    _q("booster_power", "kW", 0, 1000, "DC-DC booster for low-voltage chargers (0: none)"),
    _q("onboard_charger_power", "kW", 1, 50, "AC on-board charger power"),
    _q("battery_heater_power", "kW", 0, 50, "Heat the battery heater adds (0: none)"),
    _q("battery_cooling_power", "kW", 0, 200, "Heat the battery chiller removes"),
    _q("battery_thermal_conductance", "W/K", 0, 1000, "Pack-to-air heat conductance UA"),
    _q("battery_window_low", "K", 233.15, 333.15, "Pack heated below this while charging"),
    _q("battery_window_high", "K", 233.15, 343.15, "Pack cooled above this while charging"),
    _q("precondition_target", "K", 233.15, 333.15, "Pack temperature preconditioning aims at"),
    _q(
        "precondition_lead_time",
        "min",
        0,
        600,
        "How long before arrival on-arrival preconditioning starts heating",
    ),
    Field("heat_pump", "choice", choices=("yes", "no"), doc="A heat pump heats the battery"),
    _q("consumption", "kWh/(100 km)", 5, 100, "Energy per distance at the battery"),
    Field(
        "consumption_cycle", "text", doc="Test cycle the consumption belongs to (WLTP, CLTC, EPA)"
    ),
    _q("curb_mass", "kg", 300, 10000, "Kerb mass"),
    _q("pack_mass", "kg", 10, 3000, "Battery pack mass"),
    _q("drag_coefficient", "", 0.1, 1.0, "Aerodynamic drag coefficient Cd"),
    _q("frontal_area", "m^2", 0.5, 15, "Frontal area"),
    _q("test_mass", "kg", 300, 10000, "Mass on the test bench (overrides curb mass + payload)"),
    _q("rolling_resistance", "", 0.002, 0.03, "Rolling resistance coefficient Crr"),
    _q("drag_area", "m^2", 0.1, 10, "Drag area Cd x A (instead of Cd and frontal area)"),
    _q("rotating_mass", "kg", 0, 500, "Equivalent mass of wheels and drivetrain inertia"),
    _q("motor_power", "kW", 5, 3000, "Rated (peak) traction motor power"),
    _q("transmission_efficiency", "", 0.5, 1.0, "Gearbox and final drive efficiency"),
    _q("motor_efficiency", "", 0.5, 1.0, "Motor + inverter efficiency (constant)"),
    _t(
        "motor_efficiency_map",
        "",
        0.3,
        1.0,
        "Motor + inverter efficiency against load |P|/P_max",
        x_key="load",
    ),
    Field(
        "motor_efficiency_interpolation",
        "choice",
        choices=("linear", "step"),
        doc="Between map breakpoints: linear, or the value at or below (step)",
    ),
    _q("regen_efficiency", "", 0.3, 1.0, "Motor + inverter efficiency when recovering"),
    _q("regen_fraction", "", 0.0, 1.0, "Share of braking power the motor recovers"),
    _q("regen_power", "kW", 0, 3000, "Highest recovered power"),
    _q("aux_power", "W", 0, 20000, "Auxiliary electrical load while driving"),
    _q("battery_efficiency", "", 0.8, 1.0, "One-way battery efficiency (discharge or charge)"),
    _t(
        "battery_efficiency_map",
        "",
        0.5,
        1.0,
        "One-way battery efficiency against C-rate (negative: charging)",
        x_key="c_rate",
    ),
    _q(
        "charging_efficiency",
        "",
        0.5,
        1.0,
        "Wall-to-battery efficiency for consumption at the wall",
    ),
    _q("price", "USD", 1000, 1e7, "Purchase price of the vehicle, battery included"),
    Field(
        "price_date",
        "text",
        doc="When the price was listed: YYYY-MM, or YYYY when the source gives no month",
    ),
    Field("price_market", "text", doc="Where the price was listed (country), e.g. Germany"),
    _q("official_range", "km", 10, 3000, "Official range"),
    Field(
        "official_range_cycle", "text", doc="Cycle of the official range (WLTP, CLTC, EPA, NEDC)"
    ),
)

_USAGE = (
    _q("annual_distance", "km", 1000, 200000, "Distance driven a year", True),
    _q("fast_charge_share", "", 0.0, 1.0, "Share of the energy charged at DC fast chargers"),
    Field("fast_charger", "ref", ref_kind="charger", doc="The DC charger used for fast charging"),
    _q("home_charge_power", "kW", 1, 350, "Power of the everyday (home or depot) charger"),
    _q("soc_low", "", 0.0, 1.0, "State of charge the car is driven down to each day"),
    _q("soc_high", "", 0.0, 1.0, "State of charge the car is charged to and parked at"),
    _q("temperature", "K", 233.15, 333.15, "Battery temperature, e.g. 25 degC"),
    _q("electricity_price", "USD/kWh", 0, 10, "Price of everyday electricity"),
    _q("fast_charge_price", "USD/kWh", 0, 10, "Price of DC fast-charging energy"),
    _q("value_of_time", "USD/h", 0, 1000, "What an hour spent at a fast charger is worth"),
    Field(
        "climate",
        "ref",
        ref_kind="climate",
        doc="Monthly temperatures the battery ages in (instead of one temperature)",
    ),
    _q(
        "temperature_rise",
        "K",
        0,
        30,
        "How much warmer the cells are than the climate's monthly mean air (default 0)",
    ),
    Field(
        "fleet_correction",
        "choice",
        choices=("on", "off"),
        doc="Correct the lab-cell ageing model to cars in fleets (default on)",
    ),
)

#: Month names of a climate's fields, January first.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_CLIMATE = (
    Field("region", "text", doc="Where the temperatures were measured (station, period)"),
    *(
        _q(f"temperature_{m}", "K", 213.15, 333.15, f"Mean air temperature of {m.title()}", True)
        for m in MONTHS
    ),
)

_ROUTE = (
    _q("distance", "km", 1, 20000, "Length of the trip", True),
    _q("speed", "km/h", 30, 200, "Mean speed on the road (a motorway trace scaled to it)", True),
    _q(
        "ambient",
        "K",
        233.15,
        323.15,
        "Air temperature along the route (default: mild air, the pack at 25 degC)",
    ),
    _q("cabin", "K", 283.15, 303.15, "Cabin set point with an ambient (default 21 degC)"),
    Field(
        "heat_pump",
        "choice",
        choices=("yes", "no"),
        doc="A heat pump heats the cabin (default: each vehicle's own heat_pump)",
    ),
    Field("charger", "ref", ref_kind="charger", doc="Charger of the evenly spaced stations"),
    _q("station_spacing", "km", 1, 2000, "Distance between the evenly spaced stations"),
    _q(
        "first_station",
        "km",
        0,
        2000,
        "Where the first evenly spaced station is (default: one spacing from the start)",
    ),
    Field(
        "stations",
        "text",
        doc="Stations at given km, e.g. '55 km ionity-350; 130 km tesla-v3' (with or "
        "instead of the evenly spaced ones)",
    ),
    _q(
        "stop_overhead",
        "min",
        0,
        120,
        "Time a stop takes besides charging: pulling in, plugging in, paying",
    ),
    _q("start_soc", "", 0.01, 1.0, "State of charge at the start"),
    _q("reserve", "", 0.0, 0.9, "Lowest state of charge on arrival at a station or the end"),
)

#: Field tables per spec kind (name -> Field).
FIELDS: dict[str, dict[str, Field]] = {
    kind: {f.name: f for f in (*_COMMON, *fields)}
    for kind, fields in (
        ("chemistry", _CHEMISTRY),
        ("charger", _CHARGER),
        ("vehicle", _VEHICLE),
        ("usage", _USAGE),
        ("climate", _CLIMATE),
        ("route", _ROUTE),
    )
}


def fields_for(kind: str) -> dict[str, Field]:
    """The fields of a spec kind (``"chemistry"``, ``"vehicle"``, ``"charger"``)."""
    return FIELDS[kind]
