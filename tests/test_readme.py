"""The README is the first screens: the two commands, a real output, links that lead.

What it held before (the models, validation, benchmarks, the architecture tree) is in
``docs/``, checked by tests/test_docs.py; the checks here keep the README itself honest.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from nevcalc import catalog
from nevcalc.cli import cli
from nevcalc.units import to_si

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: What each quantity of the units cheat-sheet is read as.
CHEAT_SHEET = {
    "25degC": "K",
    "-10 degC": "K",
    "35 °C": "K",
    "308 K": "K",
    "4 /h": "1/s",
    "0.6 CNY/kWh": "USD/J",
    "120 USD/kWh": "USD/J",
    "45000 EUR": "USD",
    "350 kW": "W",
    "800 V": "V",
    "500 A": "A",
    "77 kWh": "J",
    "16 kWh/100km": "J/m",
    "250 Wh/kg": "J/kg",
    "130 km/h": "m/s",
}


def test_the_two_commands_are_there_as_ci_runs_them():
    lines = README.splitlines()
    assert "pip install -e . && nevcalc compare" in lines
    assert "pip install -e '.[test]' && pytest" in lines
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "pip install -e . && nevcalc compare" in ci
    assert "pip install -e '.[test]' && pytest" in ci


def test_the_readme_is_its_first_screens():
    assert len(README.encode("utf-8")) <= 8 * 1024, "README.md grew past 8 KB: move it to docs/"


def test_the_output_shown_is_of_shipped_cars():
    block = README.split("$ nevcalc compare\n", 1)[1].split("```", 1)[0]
    names = re.findall(r"^│ ([a-z0-9][a-z0-9-]+) +│", block, flags=re.M)
    shipped = {name for _, name, *_ in catalog.list_titles("vehicle")[0]}
    assert len(names) >= 5
    assert set(names) <= shipped, sorted(set(names) - shipped)


def test_every_link_into_the_docs_leads_to_a_page():
    links = re.findall(r"\]\(((?:docs/|LICENSE|CHANGELOG)[^)]*)\)", README)
    assert links
    for link in links:
        assert (ROOT / link).is_file(), f"README links to {link}, which does not exist"
    pages = {Path(link).stem for link in links}
    for page in ("getting-started", "your-own-car", "units", "glossary", "validation",
                 "benchmarks", "architecture", "cli", "pack", "charging", "thermal",
                 "driving", "trip", "degradation", "cost", "trends"):  # fmt: skip
        assert page in pages, f"README does not link docs page {page}"


def test_your_own_car_in_five_lines(monkeypatch):
    """The walkthrough runs as written, from a checkout, each line exiting 0."""
    section = README.split("## Your own car", 1)[1].split("## ", 1)[0]
    block = section.split("```console", 1)[1].split("```", 1)[0]
    commands = [ln for ln in block.splitlines() if ln.startswith("$ nevcalc ")]
    assert len(commands) == 5
    assert any("--battery" in c for c in commands)
    monkeypatch.chdir(ROOT)
    for line in commands:
        args = shlex.split(line[2:], comments=True)[1:]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"{line}\n{result.output}"


def test_the_units_cheat_sheet_reads_as_it_says():
    section = README.split("## Units cheat-sheet", 1)[1].split("## ", 1)[0]
    rows = [ln for ln in section.splitlines() if ln.startswith("| `")]
    written = [q for row in rows for q in re.findall(r"`([^`]+)`", row.split("|")[1])]
    quantities = [q for q in written if q in CHEAT_SHEET]
    for must in ("25degC", "4 /h", "0.6 CNY/kWh"):
        assert must in quantities
    for text in quantities:  # each reads, in the dimension its row names
        assert to_si(text, CHEAT_SHEET[text], "README") > 0
    assert to_si("25degC", "K", "README") == pytest.approx(298.15)
    assert to_si("4 /h", "1/s", "README") == pytest.approx(4 / 3600)
    with pytest.raises(ValueError, match="coulomb"):
        to_si("35C", "K", "README")  # the row says it is refused
