"""Figures: written whole, under the name asked for, and refused before any work when the
name cannot be written."""

from __future__ import annotations

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
