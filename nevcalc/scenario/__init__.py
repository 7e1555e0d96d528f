"""From specs to SI arrays to answers: charging (:mod:`.charge`) and driving (:mod:`.road`).

Python callers may give quantities as text (``"77.4 kWh"``), pint
quantities, or bare numbers in the unit each argument's docstring names.
"""

from nevcalc.scenario.charge import (
    DEFAULT_CELL_SOC_WINDOW,
    ChargeAnswer,
    Charger,
    Vehicle,
    adhoc_vehicle,
    cell_cc_cv,
    charge,
    charge_sessions,
    charger_from_spec,
    load_charger,
    load_vehicle,
    no_charger,
    vehicle_from_spec,
)

__all__ = [
    "DEFAULT_CELL_SOC_WINDOW",
    "ChargeAnswer",
    "Charger",
    "Vehicle",
    "adhoc_vehicle",
    "cell_cc_cv",
    "charge",
    "charge_sessions",
    "charger_from_spec",
    "load_charger",
    "load_vehicle",
    "no_charger",
    "vehicle_from_spec",
]
