"""Battery pack build-up from cell chemistry: voltage, capacity, resistance.

Pure numpy on SI floats; every argument broadcasts. The build-up follows
Argonne's BatPaC in spirit: cells in series set the voltage, parallel
capacity the charge, and resistance scales with the cell's
resistance-capacity product.

References
----------
.. [1] Argonne National Laboratory, BatPaC: Battery Performance and Cost model,
   https://www.anl.gov/cse/batpac-model-software
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

    The series count is the whole number of cells whose full-charge voltage is
    nearest the voltage class, so the pack's full voltage is within half a cell
    of the class, either side (an "800 V" pack of 4.2 V cells has 190 cells in
    series, 798 V full; a "400 V" LFP pack 110 cells, 401.5 V full).

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

    Examples
    --------
    By hand: 800 / 4.2 = 190.5 rounds to 190 cells (798 V full); 400 / 3.65 = 109.6
    rounds to 110 LFP cells (401.5 V, within half a cell of the class).

    >>> series_cells_for_voltage([800.0, 400.0], [4.2, 3.65])
    array([190., 110.])
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

    Examples
    --------
    By hand: 75 kWh = 2.7e8 J over 192 cells of 3.7 V mean OCV is
    2.7e8 / 710.4 = 380 068 A s = 105.6 A h.

    >>> round(float(pack_capacity(75 * 3.6e6, 192, 3.7)) / 3600, 1)
    105.6

    Broadcasting: the same energy in a 400 V class pack (96 cells) has twice the
    charge, 211.1 A h.

    >>> np.round(pack_capacity(75 * 3.6e6, [192, 96], 3.7) / 3600, 1)
    array([105.6, 211.1])
    """
    return np.asarray(usable_energy, float) / (
        np.asarray(series_cells, float) * np.asarray(mean_cell_ocv, float)
    )


def pack_open_circuit_voltage(cell_ocv, series_cells):
    """Pack open-circuit voltage from the cell OCV and the series count.

    Parameters
    ----------
    cell_ocv : array_like
        Cell open-circuit voltage [V].
    series_cells : array_like
        Cells in series [-].

    Returns
    -------
    numpy.ndarray
        [V].

    Examples
    --------
    192 cells at 3.3 V and at 4.1 V (by hand 633.6 V and 787.2 V):

    >>> pack_open_circuit_voltage([3.3, 4.1], 192)
    array([633.6, 787.2])
    """
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

    Examples
    --------
    By hand: 100 cells of a 1 mohm, 50 A h reference in a 150 A h pack (three in
    parallel) give 100 * 0.001 * 50 / 150 = 0.0333 ohm.

    >>> round(float(pack_resistance(1e-3, 50 * 3600.0, 150 * 3600.0, 100)), 4)
    0.0333

    One reference cell, three pack capacities: R falls as 1/Q (0.1, 0.05, 0.0333 ohm).

    >>> np.round(pack_resistance(1e-3, 50 * 3600.0, np.array([50.0, 100.0, 150.0]) * 3600, 100), 4)
    array([0.1   , 0.05  , 0.0333])
    """
    return (
        np.asarray(series_cells, float)
        * np.asarray(cell_resistance, float)
        * np.asarray(cell_capacity, float)
        / np.asarray(capacity, float)
    )


def pack_mass_from_energy(energy, pack_specific_energy):
    """Pack mass from its energy and the pack-level specific energy.

    Parameters
    ----------
    energy : array_like
        Installed energy [J].
    pack_specific_energy : array_like
        Energy per pack mass [J kg^-1].

    Returns
    -------
    numpy.ndarray
        [kg].

    Examples
    --------
    By hand: 75 kWh at 160 and at 200 Wh/kg weigh 468.75 and 375 kg.

    >>> pack_mass_from_energy(75 * 3.6e6, np.array([160.0, 200.0]) * 3600)
    array([468.75, 375.  ])
    """
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

    Examples
    --------
    500 km with ``c0`` = 400 J/m, ``c1`` = 0.1 J/m per kg, 1600 kg without the pack and
    160 Wh/kg (576 kJ/kg). By hand: E = 5e5 * 560 / (1 - 5e5 * 0.1 / 576 000) =
    3.066e8 J = 85.2 kWh; check: the car then weighs 2132 kg, uses 613.2 J/m and
    3.066e8 / 613.2 = 500 km. At 10 Wh/kg each kWh weighs 100 kg and costs more over
    500 km (0.1 J/m/kg * 100 kg * 5e5 m = 5 MJ = 1.4 kWh) than it holds: no pack is
    light enough.

    >>> e = energy_for_range(5e5, 400.0, 0.1, 1600.0, np.array([160.0, 10.0]) * 3600)
    >>> np.round(e / 3.6e6, 1)
    array([85.2,  inf])
    """
    r = np.asarray(target_range, float)
    c0 = np.asarray(consumption_at_zero_mass, float)
    c1 = np.asarray(consumption_per_mass, float)
    ep = np.asarray(pack_specific_energy, float) * np.asarray(usable_fraction, float)
    denominator = 1.0 - r * c1 / ep
    with np.errstate(divide="ignore", invalid="ignore"):
        e = r * (c0 + c1 * np.asarray(mass_without_pack, float)) / denominator
    return np.where(denominator > 0, e, np.inf)
