"""Helpers shared by test modules: sweep documents, strict JSON, quantity checks."""

from __future__ import annotations

import json
import math


def sweep_doc(*axes, base=None, **extra):
    doc = {
        "kind": "sweep",
        "title": "t",
        "base": base or {"vehicle": "byd-han-l", "charger": "byd-megawatt",
                         "usage": "private-china"},
        "axis": list(axes),
    }  # fmt: skip
    doc.update(extra)
    return doc


POWER = {"field": "charger.max_power", "values": ["100 kW", "350 kW", "1000 kW"]}


VEHICLES = {"field": "vehicle", "values": ["byd-han-l", "kia-ev6-77", "zeekr-7x-lfp"]}


PRICES = {"field": "usage.electricity_price", "from": "0.05 USD/kWh", "to": "0.3 USD/kWh",
          "num": 6}  # fmt: skip


def sweep_toml(doc) -> str:
    lines = [f'kind = "{doc["kind"]}"', f'title = "{doc["title"]}"']
    for key in ("outputs",):
        if key in doc:
            lines.append(f"{key} = {json.dumps(doc[key])}")
    lines.append("[base]")
    lines += [f"{k} = {json.dumps(v)}" for k, v in doc["base"].items()]
    for a in doc["axis"]:
        lines.append("[[axis]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in a.items()]
    for table in ("draws", "summary"):
        if table in doc:
            lines.append(f"[{table}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in doc[table].items()]
    return "\n".join(lines) + "\n"


MC = {"field": "usage.fast_charge_share", "distribution": "triangular", "low": "0 %",
      "mode": "20 %", "high": "80 %"}  # fmt: skip


MC_POWER = {"field": "charger.max_power", "distribution": "uniform", "low": "100 kW",
            "high": "1000 kW"}  # fmt: skip


def mc_doc():
    return sweep_doc(MC, MC_POWER, PRICES, draws={"n": 3000, "seed": 11})


def strict_json(text: str):
    def refuse(name):
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def check_quantities(doc, path="$", unit=False):
    """Every {"value": ...} has a unit, a null value a reason; every number is finite, and
    every fractional number sits in an object that states its unit."""
    if isinstance(doc, dict):
        if "value" in doc and not isinstance(doc["value"], str):
            assert "unit" in doc, f"{path}: a quantity without a unit: {doc}"
            if doc["value"] is None:
                assert doc.get("reason"), f"{path}: null without a reason"
        has_unit = "unit" in doc or "x_unit" in doc
        for k, v in doc.items():
            check_quantities(v, f"{path}.{k}", has_unit)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            check_quantities(v, f"{path}[{i}]", unit)
    elif isinstance(doc, float):
        assert math.isfinite(doc), path
        assert unit, f"{path}: {doc} is a bare number; give it a unit"


def json_numbers(doc):
    """Every number in a JSON document."""
    if isinstance(doc, dict):
        for v in doc.values():
            yield from json_numbers(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from json_numbers(v)
    elif isinstance(doc, (int, float)) and not isinstance(doc, bool):
        yield doc


def write_charger(folder, name, power):
    """A charger spec ``name`` of ``power`` in ``folder``/chargers (a user's spec folder)."""
    path = folder / "chargers" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'kind = "charger"\ntitle = "test"\ncurrent_type = "dc"\n'
        f'max_power = {{ value = "{power}", source = "test", kind = "assumed" }}\n'
    )
    return path


class _TagChecker:
    """Open and close tags of an HTML fragment, in order (``html.parser`` underneath)."""

    def __init__(self, text: str):
        from html.parser import HTMLParser

        self.problems: list[str] = []
        self.text: list[str] = []
        stack: list[str] = []
        problems, texts = self.problems, self.text

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                stack.append(tag)

            def handle_endtag(self, tag):
                if not stack or stack[-1] != tag:
                    problems.append(f"</{tag}> closes <{stack[-1] if stack else None}>")
                else:
                    stack.pop()

            def handle_data(self, data):
                texts.append(data)

        p = Parser(convert_charrefs=True)
        p.feed(text)
        p.close()
        if stack:
            problems.append(f"left open: {stack}")


def check_repr(obj, *expected: str) -> str:
    """``repr(obj)`` is one line of at most 200 characters holding each ``expected`` text
    (the name, figures with their units); the default dataclass repr never shows."""
    text = repr(obj)
    assert "\n" not in text and len(text) <= 200, text
    assert text.startswith("<") and text.endswith(">"), text
    assert "array(" not in text, text
    for e in expected:
        assert e in text, (e, text)
    return text


def check_html(obj, *expected: str) -> str:
    """``obj._repr_html_()`` is balanced HTML with a table, whose text holds each
    ``expected`` text; returns the text shown (entities decoded)."""
    out = obj._repr_html_()
    checked = _TagChecker(out)
    assert not checked.problems, checked.problems
    assert "<table>" in out and "<caption>" in out
    shown = " ".join(checked.text)
    for e in expected:
        assert e in shown, (e, shown[:2000])
    return shown


def check_escaped(obj, name: str) -> None:
    """``name`` (holding ``<``, ``>`` and ``&``) is escaped in the HTML, never a tag."""
    import html

    out = obj._repr_html_()
    assert name not in out, out[:500]
    assert html.escape(name) in out
    assert not _TagChecker(out).problems
