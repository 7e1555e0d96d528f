"""nevcalc: what EV batteries and chargers mean for a car, with units checked.

The package is layered: ``nevcalc.units`` (one pint registry), ``nevcalc.specs``
and ``nevcalc.catalog`` (spec files), ``nevcalc.scenario`` (specs to SI arrays),
``nevcalc.model`` (pure numpy physics), ``nevcalc.report`` and ``nevcalc.cli``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
