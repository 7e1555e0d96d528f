"""Figures: written whole, under the name asked for, and refused before any work when the
name cannot be written."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "args",
    [
        ("charge", "byd-han-l", "--charger", "byd-megawatt", "--no-chart"),
        ("charge", "kia-ev6-77", "--charger", "tesla-v2", "--json"),  # booster binds
        ("health", "nmc622", "--charge-rate", "1C"),
        ("health", "solid-state"),  # the simple labelled model
        ("trend", "--until", "2030"),
    ],
)
def test_figures_are_written(run_cli, tmp_path, args):
    out = tmp_path / "figure.png"
    code, stdout, err = run_cli(*args, "--plot", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(PNG) and out.stat().st_size > 10_000
    assert not list(tmp_path.glob(".*tmp*"))
    if "--json" not in args:
        assert "figure written to" in stdout


def test_svg_and_pdf_too(run_cli, tmp_path):
    for name in ("f.svg", "f.pdf"):
        code, _out, err = run_cli("trend", "--plot", str(tmp_path / name))
        assert code == 0, err
        assert (tmp_path / name).stat().st_size > 1000


@pytest.mark.parametrize(
    ("path", "needle"),
    [("figure.gif", ".png, .svg or .pdf"), ("missing/figure.png", "does not exist")],
)
def test_bad_figure_names_are_refused_before_work(run_cli, tmp_path, path, needle):
    code, out, err = run_cli("charge", "byd-han-l", "--plot", str(tmp_path / path))
    assert code == 2
    assert needle in err and "Traceback" not in err
    assert out == ""  # refused before the charge was computed


@pytest.mark.parametrize(
    "args",
    [
        ("byd-han-l", "--charger", "tesla-v2"),  # cannot start: the pack is above 410 V
        ("byd-han-ev-2020", "--charger", "tesla-v3", "--minutes", "10", "--add", "300km"),
        ("byd-han-l", "--charger", "byd-megawatt", "--minutes", "5", "--add", "400km"),
    ],
)
def test_charge_figure_of_any_session_is_written_without_a_traceback(run_cli, tmp_path, args):
    out = tmp_path / "charge.png"
    code, _stdout, err = run_cli("charge", *args, "--no-chart", "--plot", str(out))
    assert code == 0, err
    assert "Traceback" not in err
    assert out.read_bytes().startswith(PNG)


def _figure(vehicle, charger, **kw):
    from nevcalc.plot import charge_figure
    from nevcalc.scenario import charge, load_charger, load_vehicle

    ans = charge(load_vehicle(vehicle), load_charger(charger), 0.1, 0.8, **kw)
    return ans, charge_figure(ans)


def test_time_panel_ends_at_the_minutes_in_the_title():
    import matplotlib.pyplot as plt

    ans, fig = _figure("byd-han-l", "byd-megawatt")
    power_ax, time_ax = fig.axes[:2]
    x, y = time_ax.lines[0].get_data()
    assert x[0] == pytest.approx(10.0) and x[-1] == pytest.approx(80.0)
    assert y[-1] == pytest.approx(ans.duration / 60, rel=1e-9)
    assert f"in {ans.duration / 60:.1f} min" in power_ax.get_title()
    plt.close(fig)


def test_minutes_and_distance_are_marked_where_the_answer_says():
    import matplotlib.pyplot as plt

    ans, fig = _figure("byd-han-l", "byd-megawatt", minutes=5, add_distance=400)
    time_ax = fig.axes[1]
    vertical = {
        round(line.get_xdata()[0], 9): line.get_label()
        for line in time_ax.lines
        if len(set(line.get_xdata())) == 1 and line.get_linestyle() == "--"
    }
    assert round(100 * ans.soc_after, 9) in vertical
    assert round(100 * ans.soc_add, 9) in vertical
    assert "5 min" in vertical[round(100 * ans.soc_after, 9)]
    assert "+400 km" in vertical[round(100 * ans.soc_add, 9)]
    dots = [ln for ln in time_ax.lines if ln.get_marker() == "o"]
    ys = sorted(float(d.get_ydata()[0]) for d in dots)
    assert ys == pytest.approx(sorted([5.0, ans.minutes_to_add / 60]), rel=1e-9)
    plt.close(fig)


def test_a_charge_that_stops_shows_its_reason_and_ends_at_the_stop():
    import matplotlib.pyplot as plt

    ans, fig = _figure("byd-han-ev-2020", "tesla-v3")
    assert not ans.feasible
    texts = " ".join(t.get_text() for t in fig.texts).replace("\u00a0", " ")
    assert " ".join(texts.split()) == ans.reason
    x, y = fig.axes[1].lines[0].get_data()
    assert x[-1] == pytest.approx(100 * ans.soc_reached)
    assert y[-1] == pytest.approx(ans.charging_time / 60, rel=1e-9)
    assert "stops at" in fig.axes[0].get_title()
    plt.close(fig)


def test_long_charges_are_drawn_in_hours_and_marks_past_the_target_are_named():
    import matplotlib.pyplot as plt

    from nevcalc.plot import charge_figure
    from nevcalc.scenario import charge, load_charger, load_vehicle

    ans = charge(load_vehicle("kia-ev6-77"), load_charger("ac-11kw"), 0.2, 1.0, minutes=60)
    fig = charge_figure(ans)
    time_ax = fig.axes[1]
    assert time_ax.get_ylabel() == "time charging [h]"
    assert time_ax.lines[0].get_ydata()[-1] == pytest.approx(ans.duration / 3600, rel=1e-9)
    plt.close(fig)
    ans, fig = _figure("byd-han-l", "byd-megawatt", minutes=10)
    assert ans.soc_after > ans.soc_to
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any("10 min" in t and "past the target" in t for t in labels)
    assert not any(100 * ans.soc_after in ln.get_xdata() for ln in fig.axes[0].lines)
    plt.close(fig)


def test_health_figure_marks_what_lies_outside_the_models_data():
    """Years below the fitted capacity are drawn dotted and the validity notes are written."""
    from nevcalc import catalog
    from nevcalc.model.degradation import FITTED_CAPACITY_MIN
    from nevcalc.plot import health_figure
    from nevcalc.scenario.health import health

    chem = catalog.load("nmc622", "chemistry")
    hard = health(chem, (0.0, 1.0), temperature=323.15, years=25, charge_rate=2.0)
    assert min(hard.capacity) < FITTED_CAPACITY_MIN and hard.validity
    fig = health_figure(hard)
    dotted = [ln for ln in fig.axes[0].get_lines() if ln.get_linestyle() == ":"]
    assert len(dotted) == 1
    assert min(dotted[0].get_ydata()) == pytest.approx(100 * min(hard.capacity))
    assert max(dotted[0].get_ydata()) >= 100 * FITTED_CAPACITY_MIN
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "outside the model's data" in notes and "2C" in notes

    mild = health(chem, (0.3, 0.8), years=10)
    fig = health_figure(mild)
    assert not mild.validity and not fig.texts
    assert not [ln for ln in fig.axes[0].get_lines() if ln.get_linestyle() == ":"]


def test_a_cold_charge_draws_its_cell_temperature_beside_the_power():
    import matplotlib.pyplot as plt

    ans, fig = _figure("kia-ev6-77", "ionity-350", ambient=258.15)
    temp_ax = fig.axes[-1]
    (line,) = [ln for ln in temp_ax.lines if ln.get_label() == "cell temperature"]
    _, y = line.get_data()
    np.testing.assert_allclose(y, np.asarray(ans.temperature) - 273.15, rtol=1e-12)
    assert y[0] == pytest.approx(-15.0) and y[-1] > y[0]
    assert "at -15 degC" in fig.axes[0].get_title()
    plt.close(fig)
    _, warm = _figure("kia-ev6-77", "ionity-350")
    assert all(ln.get_label() != "cell temperature" for a in warm.axes for ln in a.lines)
    plt.close(warm)


def test_a_failed_write_names_the_figure_asked_for_and_leaves_no_temporary(tmp_path):
    """An OSError while saving names the user's path, not the hidden temporary file."""
    from nevcalc import plot

    plt = pytest.importorskip("matplotlib.pyplot")
    fig = plt.figure()

    def fail(path, **kw):
        open(path, "wb").close()  # a partial temporary file, then the failure
        raise OSError(28, "No space left on device", str(path))

    fig.savefig = fail
    target = tmp_path / "out.png"
    with pytest.raises(OSError) as exc:
        plot.save(fig, target)
    assert exc.value.filename == str(target)
    assert ".tmp-" not in str(exc.value)
    assert list(tmp_path.iterdir()) == []
