"""nevcalc: what EV batteries and chargers mean for a car, with units checked.

The package is layered: ``nevcalc.units`` (one pint registry, no files),
``nevcalc.io`` (every file read), ``nevcalc.specs`` and ``nevcalc.catalog`` (specs),
``nevcalc.scenario`` (specs to SI arrays),
``nevcalc.model`` (pure numpy physics), ``nevcalc.report`` and ``nevcalc.cli``.
"""

from nevcalc import _show
from nevcalc import io as _io
from nevcalc import units as _units
from nevcalc._version import __version__

__all__ = ["__version__", "sweep"]

# units reads no file: it is given the exchange-rate table, read (on first use) here
_units.use_exchange_rates(_io.read_exchange_rates)


def _load_renderings() -> None:
    """Register the repr and notebook HTML of nevcalc's objects (the report layer's)."""
    import nevcalc.report.notebook  # noqa: F401


# the specs, cars and answers sit below the report layer: it is given them here
_show.use_renderings(_load_renderings)


def sweep(spec, output=None, **options):
    """Run a parameter sweep; see :func:`nevcalc.sweeps.engine.run`.

    Parameters
    ----------
    spec : str, Path or dict
        A sweep spec file, the name of one in ``specs/sweeps``, or a parsed dict.
    output : str, optional
        A ``.parquet`` or ``.csv`` file to stream the rows to.
    **options
        ``engine``, ``scheduler``, ``resume``, ``stream``, ``summary``, ``chunk_rows``.

    Returns
    -------
    nevcalc.sweeps.SweepResult
        With ``to_pandas()`` and ``to_xarray()`` when the rows were kept.
    """
    from nevcalc.sweeps.engine import run

    return run(spec, output, **options)
