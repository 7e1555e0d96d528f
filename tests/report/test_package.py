"""The report package: one module per answer behind the old ``nevcalc.report`` names."""

import importlib
import subprocess
import sys

import pytest

from nevcalc import report
from nevcalc.model.charging import LIMIT_NAMES

MODULES = ["format", "charge", "compare", "range", "health", "cost", "trend", "scenario",
           "specs", "sweep"]  # fmt: skip


def test_old_names_still_import_from_the_package():
    for name in report.__all__:
        assert callable(getattr(report, name)), name
    for name in ("charge_document", "compare_table", "render_compare", "money", "quantity",
                 "spec_document", "trend_csv_table", "scenario_csv_table"):  # fmt: skip
        assert name in report.__all__


@pytest.mark.parametrize("name", MODULES)
def test_each_module_declares_what_it_exports(name):
    mod = importlib.import_module(f"nevcalc.report.{name}")
    assert mod.__all__, name
    for n in mod.__all__:
        assert hasattr(mod, n), (name, n)


def test_quantities_take_units_from_the_metrics_registry():
    from nevcalc.metrics import METRICS

    q = report.quantity(1800.0, "charge_10_80")
    assert q == {"value": pytest.approx(30.0), "unit": METRICS["charge_10_80"].unit}
    assert report.quantity(0.85, "capacity_year_8")["value"] == pytest.approx(85.0)


def test_importing_the_report_imports_no_pint_rich_or_matplotlib():
    code = (
        "import sys; from nevcalc import report\n"
        "report.quantity(1.0, 'range')\n"
        "bad = [m for m in ('pint', 'rich', 'matplotlib') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_power_chart_lines_fit_the_console(width):
    """No line of the charge rendering wraps: the power bars take what the width leaves."""
    import io

    from rich.console import Console

    from nevcalc.report import render_charge
    from nevcalc.scenario import charge, load_charger, load_vehicle

    ans = charge(load_vehicle("byd-han-l"), load_charger("byd-megawatt"), 0.1, 0.8)
    buf = io.StringIO()
    con = Console(file=buf, width=width, color_system=None)
    render_charge(ans, con)
    lines = buf.getvalue().splitlines()
    chart = [ln for ln in lines if "kW" in ln and "%" in ln and "█" in ln]
    assert chart, "no chart lines"
    for ln in chart:
        assert len(ln) <= width, ln
        # the limit name stays on the bar's line
        assert ln.rstrip().split("  ")[-1].strip() in set(LIMIT_NAMES), ln


def test_compare_title_keeps_a_fraction_of_a_percent():
    import io

    from rich.console import Console

    from nevcalc.report import render_compare
    from nevcalc.scenario import charge, load_charger, load_vehicle

    ans = charge(load_vehicle("byd-han-l"), load_charger("byd-megawatt"), 0.1, 0.999)
    buf = io.StringIO()
    render_compare([ans], console=Console(file=buf, width=120, color_system=None))
    title = buf.getvalue().splitlines()[0]
    assert "99.9 %" in title and "100" not in title, title


def test_single_charge_and_sweep_share_reason_codes():
    from nevcalc.reasons import REASONS
    from nevcalc.scenario import charge, load_charger, load_vehicle

    ok = report.charge_document(charge(load_vehicle("byd-han-l"), load_charger("byd-megawatt"),
                                       0.1, 0.8))  # fmt: skip
    assert ok["reason_code"] == 0
    bad = report.charge_document(charge(load_vehicle("byd-han-l"), load_charger("tesla-v2"),
                                        0.1, 0.8))  # fmt: skip
    assert not bad["feasible"] and bad["reason_code"] != 0
    assert REASONS[bad["reason_code"]].endswith(bad["stop_limit"])
