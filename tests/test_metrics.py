"""The metrics registry: complete, pint-readable units, factors that agree with pint."""

import subprocess
import sys

import pytest

from nevcalc import metrics
from nevcalc.metrics import METRICS


def _pint_display(ureg, m, si_value):
    """``si_value`` of metric ``m`` converted by pint to its display unit."""
    q = ureg.Quantity(si_value, m.si_unit or "dimensionless")
    if m.offset:
        return q.to(m.unit).magnitude
    shown = ureg.parse_expression(m.unit.replace("%", "percent"))
    return (q / shown).to("dimensionless").magnitude


@pytest.mark.parametrize("name", sorted(METRICS))
def test_units_parse_with_pint_and_factor_agrees(name):
    from nevcalc.units import get_registry

    ureg = get_registry()
    m = METRICS[name]
    assert m.name == name
    si = ureg.parse_expression(m.si_unit or "dimensionless")
    shown = ureg.parse_expression(m.unit.replace("%", "percent"))
    assert si.dimensionality == shown.dimensionality, (m.si_unit, m.unit)
    for x in (1.0, 300.0, 2.5e7):
        assert metrics.to_display(name, x) == pytest.approx(_pint_display(ureg, m, x), rel=1e-12)


@pytest.mark.parametrize("name", sorted(METRICS))
def test_entry_has_title_meaning_and_direction(name):
    m = METRICS[name]
    assert m.title and m.meaning and "\n" not in m.meaning
    assert m.better in ("lower", "higher", "")


def test_every_sweep_output_and_scenario_metric_has_an_entry():
    from nevcalc.scenario.scenarios import METRICS as SCENARIO
    from nevcalc.sweeps.plan import BETTER
    from nevcalc.sweeps.plan import METRICS as SWEEP

    for name in [*SWEEP, *SCENARIO]:
        assert name in METRICS
    for name in SWEEP:  # best rows and Pareto fronts need a direction
        assert METRICS[name].better in ("lower", "higher")
        assert BETTER[name] == {"lower": "min", "higher": "max"}[METRICS[name].better]


def test_unknown_metric_names_the_known_ones():
    with pytest.raises(KeyError, match="charge_10_80"):
        metrics.metric("no_such_metric")


def test_temperature_offset():
    assert metrics.to_display("temperature", 273.15) == 0.0
    assert metrics.to_display("temperature", 298.15) == pytest.approx(25.0)


def test_display_needs_no_pint():
    code = (
        "import sys; from nevcalc import metrics\n"
        "[m.factor for m in metrics.METRICS.values()]\n"
        "assert 'pint' not in sys.modules, 'pint imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reasons_registry_codes_and_texts():
    from nevcalc import reasons
    from nevcalc.model.charging import LIMIT_NAMES

    assert reasons.REASONS[0] == "ok"
    for i, name in enumerate(LIMIT_NAMES):
        stop = reasons.charge_reason(i, started=True)
        start = reasons.charge_reason(i, started=False)
        assert stop != start and stop > 0 and start > 0
        assert reasons.REASONS[stop].startswith("charging stops before the target")
        assert reasons.REASONS[start].startswith("charging cannot start")
        assert reasons.REASONS[stop].endswith(name) and reasons.REASONS[start].endswith(name)
    assert len(set(reasons.REASONS)) == len(reasons.REASONS)
    assert all(-128 <= c < 128 for c in reasons.REASONS)  # an int8 column
    assert "missing pack figures" in reasons.REASONS[reasons.MISSING_PACK]
