"""The JSON emitter and quantities (nevcalc.report.format): strict JSON, units on every
quantity, no NaN or Infinity."""

from __future__ import annotations

import json
import math

import pytest

from nevcalc import report
from tests.helpers import check_quantities as _check_quantities
from tests.helpers import strict_json as _strict


def _json_commands():
    from nevcalc.scenario.scenarios import list_scenarios

    cmds = [
        ("charge", "byd-han-l", "--charger", "byd-megawatt", "--minutes", "5", "--add", "400 km"),
        ("charge", "byd-han-l", "--charger", "tesla-v2"),
        ("charge", "byd-han-ev-2020", "--charger", "tesla-v2", "--minutes", "5"),
        ("compare",),
        ("compare", "byd-han-l", "kia-ev6-77", "--charger", "ionity-350", "--charger", "tesla-v2"),
        ("range", "kia-ev6-77"),
        ("range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass"),
        ("health", "lfp"),
        ("health", "solid-state", "--years", "40"),
        ("specs", "fields", "vehicle"),
        ("specs", "list"),
        ("scenario", "list"),
        ("cost", "byd-han-l"),
        ("trend",),
        ("specs", "show", "kia-ev6-77"),
        ("specs", "show", "nmc811"),
        ("specs", "show", "ionity-350"),
    ]
    cmds += [("scenario", "run", n) for n, _t, _p in list_scenarios()]
    return cmds


def _shipped(kind):
    from nevcalc.io import BUNDLED_SPECS

    folder = {"chemistry": "chemistries", "usage": "usage"}.get(kind, kind + "s")
    return sorted(p.stem for p in (BUNDLED_SPECS / folder).glob("*.toml"))


def _every_shipped_name():
    cmds = [("health", c, "--years", "40") for c in _shipped("chemistry")]
    for v in _shipped("vehicle"):
        cmds += [
            ("cost", v),
            ("range", v),
            ("charge", v, "--charger", "tesla-v2", "--minutes", "5"),
        ]
    cmds += [("specs", "show", n) for n in _shipped("charger") + _shipped("usage")]
    return cmds


@pytest.mark.parametrize("args", _json_commands(), ids=" ".join)
def test_every_json_document_is_strict_with_units(run_cli, args):
    code, out, err = run_cli(*args, "--json")
    assert code == 0, err
    _check_quantities(_strict(out))


@pytest.mark.parametrize("args", _every_shipped_name(), ids=" ".join)
def test_every_shipped_name_gives_strict_json(run_cli, args):
    code, out, err = run_cli(*args, "--json")
    assert code == 0, err
    _check_quantities(_strict(out))


@pytest.mark.parametrize("price", ["1e308 USD", "1e299 USD", "1e30 USD", "9e15 CNY"])
def test_huge_money_is_refused_or_strict(run_cli, price):
    code, out, err = run_cli("cost", "byd-han-l", "--vehicle-price", price, "--json")
    if code == 0:
        _check_quantities(_strict(out))
    else:
        assert code == 2 and err.count("\n") == 1 and "--vehicle-price" in err


def test_quantity_never_carries_inf_or_nan():
    for x in (math.inf, -math.inf, math.nan, None, 1e308):
        q = report.quantity(x, "%")  # 1e308 / 0.01 overflows to inf
        assert q["value"] is None and q["reason"] and q["unit"] == "%"
    assert report.quantity(3.6e6, "kWh") == {"value": 1.0, "unit": "kWh"}
    assert report.money(math.inf, "USD")["value"] is None
    assert report.money(1.23456, "USD") == {"value": 1.235, "unit": "USD"}


def test_emitter_refuses_non_finite_numbers_with_one_line(run_cli, monkeypatch):
    import numpy as np

    from nevcalc import cli

    def bad_document(ans):
        return {"total": {"value": np.float64(np.inf), "unit": "USD"}, "n": np.int64(3)}

    monkeypatch.setattr(report, "trend_document", bad_document)
    code, out, err = run_cli("trend", "--json")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "$.total.value" in err and "Traceback" not in err
    # numpy scalars are written as plain numbers
    cli._emit_json({"x": np.float64(1.5), "n": np.int64(3), "a": np.arange(2)})


# --- figures for people and quantities, by hand ----------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0, "0 s"),
        (5.3, "5.3 s"),
        (42.0, "42 s"),
        (754.0, "12.6 min"),  # 754 / 60 = 12.57 min
        (5999.0, "100.0 min"),  # 99.98 min shows as 100.0 min, still below 100
        (6000.0, "1.7 h"),  # 100 min = 6000 s = 1.667 h
        (math.inf, "never"),
    ],
)
def test_minutes_by_hand(seconds, text):
    from nevcalc.report.format import minutes

    assert minutes(seconds) == text


def test_percent_and_span_by_hand():
    from nevcalc.report.format import pct, span

    assert pct(0.1) == "10 %"
    assert pct(0.105) == "10.5 %"  # whole percent would round it away
    assert span(0.1, 0.8) == "10-80 %"
    assert span(0.101, 0.104) == "10.1-10.4 %"  # both round to 10 %: one decimal
    assert span(0.1, 0.8, "") == "10-80%"


def test_quantity_converts_to_the_metrics_unit_by_hand():
    from nevcalc.report.format import money, quantity

    # 754 s = 12.5667 min -> 4 significant figures
    assert quantity(754.0, "duration") == {"value": 12.57, "unit": "min"}
    # 298.15 K = 25 degC (an offset, not a factor)
    assert quantity(298.15, "temperature") == {"value": 25.0, "unit": "degC"}
    # 0.8 as a share is 80 %
    assert quantity(0.8, "capacity") == {"value": 80.0, "unit": "%"}
    # 54 MJ = 15 kWh
    assert quantity(54e6, "energy_stored") == {"value": 15.0, "unit": "kWh"}
    # a display unit instead of a metric name: 7200 s = 2 h
    assert quantity(7200.0, "h") == {"value": 2.0, "unit": "h"}
    assert money(1234.5678, "EUR") == {"value": 1235.0, "unit": "EUR"}
    assert money(1234.5678, "EUR", digits=6) == {"value": 1234.57, "unit": "EUR"}


@pytest.mark.parametrize(
    ("si", "reason"),
    [
        (None, "not available for this case"),
        (math.nan, "undefined for this case"),
        (math.inf, "unbounded: never reached"),
        (-math.inf, "unbounded"),
    ],
)
def test_a_missing_or_infinite_quantity_is_null_with_a_reason(si, reason):
    from nevcalc.report.format import money, quantity

    assert quantity(si, "duration") == {"value": None, "unit": "min", "reason": reason}
    assert money(si, "EUR") == {"value": None, "unit": "EUR", "reason": reason}
    assert quantity(si, "duration", reason="why")["reason"] == "why"


def test_a_value_that_overflows_in_its_display_unit_is_null():
    from nevcalc.report.format import quantity

    # a pack price of 1e308 USD/J is 3.6e314 USD/kWh, beyond the largest float (1.8e308)
    doc = quantity(1e308, "pack_price")
    assert doc["value"] is None and doc["reason"]
    json.dumps(doc, allow_nan=False)


def test_json_text_is_strict_json_and_names_the_first_non_finite_number(tmp_path):
    import re

    import numpy as np

    from nevcalc.errors import NevcalcError
    from nevcalc.report.format import json_text

    doc = {"x": np.float64(1.5), "n": np.int64(3), "a": np.arange(2), "p": tmp_path}
    assert json.loads(json_text(doc)) == {"x": 1.5, "n": 3, "a": [0, 1], "p": str(tmp_path)}
    assert json_text({"a": 1}) == '{\n  "a": 1\n}'  # indented, as the CLI prints it
    for bad, where in [
        ({"rows": [{"t": 1.0}, {"t": float("nan")}]}, "$.rows[1].t"),
        ([np.float64(-np.inf)], "$[0]"),
        ({"a": {"b": np.array([1.0, np.inf])}}, "$.a.b[1]"),
    ]:
        with pytest.raises(NevcalcError, match=re.escape(f"at {where} and")):
            json_text(bad)
    with pytest.raises(TypeError, match="object is not JSON"):
        json_text({"x": object()})


def test_charge_and_range_state_their_interval_alike(run_cli):
    """One JSON shape for every interval: the ends in the answer's unit, the level a fraction."""
    import json

    docs = []
    for args in (("charge", "--battery", "60kWh", "--json"),
                 ("range", "--battery", "60kWh", "--body", "sedan", "--json")):  # fmt: skip
        code, out, err = run_cli(*args)
        assert code == 0, err
        docs.append(json.loads(out))
    for doc, answer in zip(docs, ("duration", "range"), strict=True):
        iv = doc["interval"]
        assert set(iv) == {"low", "high", "unit", "level"}
        assert iv["unit"] == doc[answer]["unit"] and iv["level"] == 0.8
        assert iv["low"] < doc[answer]["value"] < iv["high"]


# --- the one-line repr and the HTML table of answers in notebooks ----------------------


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ({"value": 6.013, "unit": "min"}, "6.013 min"),
        ({"value": 31401.74, "unit": "USD"}, "31,402 USD"),
        ({"value": 80.0, "unit": "%"}, "80 %"),
        ({"value": 0.5, "unit": "dimensionless"}, "0.5"),
        ({"value": None, "unit": "km", "reason": "r"}, "-"),
    ],
)
def test_figure_text_by_hand(q, text):
    assert report.figure_text(q) == text


def test_repr_line_is_one_line_within_200_characters_and_drops_figures_that_do_not_fit():
    line = report.repr_line("ChargeAnswer", "a\nb", ["10-80 % in 6 min", "x" * 300, "y"])
    assert line == "<ChargeAnswer a b: 10-80 % in 6 min>"
    long = report.repr_line("Spec vehicle", "n" * 100, ["83.2 kWh"])
    assert len(long) <= 200 and "\n" not in long and "83.2 kWh" in long
    assert report.repr_line("CompareAnswer", "", ["2 cars"]) == "<CompareAnswer: 2 cars>"


def test_html_table_escapes_every_text_and_balances_its_tags():
    from tests.helpers import _TagChecker

    out = report.html_table(
        "<b>t</b> & co",
        [("<i>label</i>", "5 < 6")],
        notes=["a <script>alert(1)</script> note"],
        details=("2 things", ["x & y", "<z>"]),
    )
    assert "<b>" not in out and "<i>" not in out and "<script>" not in out and "<z>" not in out
    for text in ("&lt;b&gt;t&lt;/b&gt; &amp; co", "5 &lt; 6", "x &amp; y", "&lt;z&gt;"):
        assert text in out
    assert not _TagChecker(out).problems
    grid = report.html_table("g", [["1", "2"]], header=["a", "b"])
    assert grid.count("<th ") == 2 and grid.count("<td>") == 2
