"""Battery pack build-up from cell chemistry: voltage, capacity, resistance.

Pure numpy on SI floats; every argument broadcasts.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "pack_capacity",
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
