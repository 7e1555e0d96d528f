"""Battery pack build-up from cell chemistry: voltage, capacity, resistance.

Pure numpy on SI floats; every argument broadcasts.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "energy_for_range",
    "pack_capacity",
    "pack_mass_from_energy",
    "pack_open_circuit_voltage",
    "pack_resistance",
    "series_cells_for_voltage",
]


def series_cells_for_voltage(voltage_class, cell_voltage_max):
    """Cells in series for a system voltage class.

    The pack's full-charge voltage is taken to be at most the voltage class
    (an "800 V" pack of 4.2 V cells has 190 cells in series, 798 V full).

    Parameters
    ----------
    voltage_class : array_like
        System voltage class [V].
    cell_voltage_max : array_like
        Cell charge voltage limit [V].

    Returns
    -------
    numpy.ndarray of float
        Series count, a whole number >= 1 [-].
    """
    n = np.floor(np.asarray(voltage_class, float) / np.asarray(cell_voltage_max, float) + 0.5)
    return np.maximum(n, 1.0)


def pack_capacity(usable_energy, series_cells, mean_cell_ocv):
    """Charge capacity of the usable window.

    Parameters
    ----------
    usable_energy : array_like
        Usable energy at low rate [J].
    series_cells : array_like
        Cells in series [-].
    mean_cell_ocv : array_like
        Cell OCV averaged over the usable SoC window [V].

    Returns
    -------
    numpy.ndarray
        Capacity [A s] (divide by 3600 for A h).
    """
    return np.asarray(usable_energy, float) / (
        np.asarray(series_cells, float) * np.asarray(mean_cell_ocv, float)
    )


def pack_open_circuit_voltage(cell_ocv, series_cells):
    """Pack open-circuit voltage [V] from the cell OCV [V] and series count [-]."""
    return np.asarray(cell_ocv, float) * np.asarray(series_cells, float)


def pack_resistance(cell_resistance, cell_capacity, capacity, series_cells):
    """Pack resistance from a reference cell.

    Resistance scales inversely with capacity for a given chemistry and
    design (the resistance-capacity product [ohm A h] is kept), so a pack of
    capacity ``capacity`` made of ``series_cells`` cells in series has
    ``R = series_cells * cell_resistance * cell_capacity / capacity``.

    Parameters
    ----------
    cell_resistance : array_like
        Resistance of the reference cell [ohm].
    cell_capacity : array_like
        Capacity of the reference cell [A s].
    capacity : array_like
        Capacity of the pack (of one series string of parallel groups) [A s].
    series_cells : array_like
        Cells in series [-].

    Returns
    -------
    numpy.ndarray
        Pack resistance [ohm].
    """
    return (
        np.asarray(series_cells, float)
        * np.asarray(cell_resistance, float)
        * np.asarray(cell_capacity, float)
        / np.asarray(capacity, float)
    )


def pack_mass_from_energy(energy, pack_specific_energy):
    """Pack mass [kg] from its energy [J] and pack-level specific energy [J kg^-1]."""
    return np.asarray(energy, float) / np.asarray(pack_specific_energy, float)


def energy_for_range(
    target_range, consumption_at_zero_mass, consumption_per_mass, mass_without_pack,
    pack_specific_energy, usable_fraction=1.0,
):  # fmt: skip
    """Usable energy that reaches ``target_range`` when the pack's mass is fed back.

    Consumption at the battery is linear in test mass on a given cycle,
    ``c(m) = c0 + c1 m`` (road load and inertia scale with mass; drag does
    not), and the pack adds ``E / (f e_p)`` to the mass, where ``f`` is the
    usable share of the installed energy. ``R = E / c(m)`` then solves in
    closed form::

        E = R (c0 + c1 m_0) / (1 - R c1 / (f e_p))

    It stops holding where consumption is not linear in mass: when the
    regenerative power cap or the motor's part-load efficiency shift with
    mass (heavier cars brake harder, past the regen limit; a bigger pack may
    come with a bigger motor). Use two evaluations around the answer (as
    :func:`nevcalc.scenario.road.resize_pack` does) to take ``c0`` and ``c1``
    from the full model.

    Parameters
    ----------
    target_range : array_like
        [m].
    consumption_at_zero_mass : array_like
        ``c0`` [J m^-1].
    consumption_per_mass : array_like
        ``c1`` [J m^-1 kg^-1].
    mass_without_pack : array_like
        Test mass less the pack [kg].
    pack_specific_energy : array_like
        Installed energy per pack mass [J kg^-1].
    usable_fraction : array_like
        Usable over installed energy [-].

    Returns
    -------
    numpy.ndarray
        Usable energy [J]; ``inf`` where no pack is light enough (the range
        is beyond what this chemistry can carry).
    """
    r = np.asarray(target_range, float)
    c0 = np.asarray(consumption_at_zero_mass, float)
    c1 = np.asarray(consumption_per_mass, float)
    ep = np.asarray(pack_specific_energy, float) * np.asarray(usable_fraction, float)
    denominator = 1.0 - r * c1 / ep
    with np.errstate(divide="ignore", invalid="ignore"):
        e = r * (c0 + c1 * np.asarray(mass_without_pack, float)) / denominator
    return np.where(denominator > 0, e, np.inf)
