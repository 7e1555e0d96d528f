"""The one-line ``repr`` and the notebook HTML of nevcalc's objects.

Specs, cycles, routes, cars, chargers, every answer and a sweep's result show
themselves through :mod:`nevcalc._show`, which finds the rendering registered here for
their class: the classes sit below the report layer and import nothing from it. A
``repr`` is one line of at most :data:`REPR_WIDTH` characters; the HTML is a small
escaped table (:func:`html_table`). The answers' figures are those of their JSON
documents (``charge_document`` ...), so a notebook shows what ``--json`` gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from nevcalc import _show
from nevcalc.specs.model import KEY_FIELDS
from nevcalc.text import (
    figure_text,
    interval_text,
    minutes,
    pct,
    quantity,
    segments_text,
    span,
)

__all__ = ["REPR_WIDTH", "html_table", "repr_line"]


#: Longest line :func:`repr_line` gives [characters].
REPR_WIDTH = 200


def repr_line(kind: str, name: str, figures: Iterable[str]) -> str:
    """A one-line ``repr``: ``<ChargeAnswer byd-han-l: 10-80 % in 6.013 min, ...>``.

    Figures that would take the line past :data:`REPR_WIDTH` characters are left out,
    and a name longer than 60 characters is cut, so that printing an answer in a
    notebook or a shell never fills the screen.
    """
    name = " ".join(str(name).split())
    if len(name) > 60:
        name = name[:59] + "\u2026"
    head = f"<{kind} {name}" if name else f"<{kind}"
    shown_figures: list[str] = []
    for f in figures:
        f = " ".join(str(f).split())
        line = f"{head}: {', '.join([*shown_figures, f])}>"
        if len(line) > REPR_WIDTH:
            break
        shown_figures.append(f)
    return f"{head}: {', '.join(shown_figures)}>" if shown_figures else f"{head}>"


def _cells(row: Sequence[Any], tag: str) -> str:
    import html

    align = ' style="text-align:left"' if tag == "th" else ""
    return "".join(f"<{tag}{align}>{html.escape(str(c))}</{tag}>" for c in row)


def html_table(
    title: str,
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] | None = None,
    notes: Iterable[str] = (),
    details: tuple[str, Iterable[str]] | None = None,
) -> str:
    """A small HTML table for a notebook (``_repr_html_``); every text is escaped.

    Parameters
    ----------
    title : str
        The caption.
    rows : sequence of sequences
        Without ``header``: ``(label, value text)`` pairs, the label as a row heading;
        with it: one cell per column.
    header : sequence of str, optional
        Column headings.
    notes : iterable of str
        Lines under the table (a reason, what was assumed).
    details : (str, iterable of str), optional
        A summary and the lines it folds away (``<details>``), e.g. the assumptions.
    """
    import html

    parts = ['<div class="nevcalc">', "<table>", f"<caption>{html.escape(title)}</caption>"]
    if header is not None:
        parts.append(f"<thead><tr>{_cells(header, 'th')}</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        if header is None:
            label, *rest = row
            parts.append(f"<tr>{_cells([label], 'th')}{_cells(rest, 'td')}</tr>")
        else:
            parts.append(f"<tr>{_cells(row, 'td')}</tr>")
    parts += ["</tbody>", "</table>"]
    parts += [f"<p>{html.escape(n)}</p>" for n in notes if n]
    if details is not None:
        summary, lines = details[0], [x for x in details[1] if x]
        if lines:
            items = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
            parts.append(
                f"<details><summary>{html.escape(summary)}</summary><ul>{items}</ul></details>"
            )
    parts.append("</div>")
    return "\n".join(parts)


def _assumed_table(kind: str, obj, figures, notes: Iterable[str] = ()) -> str:
    """The table of a car, charger or route: its figures, then its assumptions folded."""
    return html_table(
        f"{kind} {obj.name}: {obj.title}",
        figures,
        notes=notes,
        details=(f"{len(obj.assumptions)} assumptions", obj.assumptions),
    )


# --- nevcalc.specs.model.Spec
def _spec_line(spec) -> str:
    keys = {k: f for k, f in KEY_FIELDS.get(spec.kind, {}).items() if k in spec.values}
    figures = [f.format(spec.text(k, short=True)) for k, f in list(keys.items())[:4]]
    return repr_line(f"Spec {spec.kind}", spec.name, figures)


def _spec_html(spec) -> str:
    rows = []
    for key in spec.values:
        if key in ("title", "description"):
            continue
        prov = spec.provenance.get(key)
        rows.append([key, spec.text(key), prov.kind if prov else ""])
    rows.sort(key=lambda r: r[0] not in KEY_FIELDS.get(spec.kind, ()))
    return html_table(
        f"{spec.kind} {spec.name}: {spec.title}",
        rows,
        header=["field", "value", "kind"],
        notes=[str(spec.values.get("description", "")), f"file: {spec.path}"],
    )


_show.register("nevcalc.specs.model.Spec", _spec_line, _spec_html)


# --- nevcalc.cycles.Cycle
def _cycle_figures(cycle) -> list[tuple[str, str]]:
    duration = cycle.duration if cycle.time.size else 0.0
    distance = cycle.distance
    mean = cycle.mean_speed
    top = float(cycle.speed.max()) if cycle.speed.size else 0.0
    return [
        ("duration", figure_text(quantity(duration, "min"))),
        ("distance", figure_text(quantity(distance, "km"))),
        ("mean speed", figure_text(quantity(mean, "km/h"))),
        ("top speed", figure_text(quantity(top, "km/h"))),
        ("points", f"{cycle.time.size:,}"),
    ]


def _cycle_line(cycle) -> str:
    f = dict(_cycle_figures(cycle))
    return repr_line("Cycle", cycle.name, [
        f["duration"], f["distance"], f"mean {f['mean speed']}", f"top {f['top speed']}",
    ])  # fmt: skip


def _cycle_html(cycle) -> str:
    return html_table(
        f"Cycle {cycle.name}: {cycle.title}",
        _cycle_figures(cycle),
        notes=[f"{cycle.kind}: {cycle.source}" if cycle.source else ""],
    )


_show.register("nevcalc.cycles.Cycle", _cycle_line, _cycle_html)


# --- nevcalc.routes.Route
def _route_figures(route) -> list[tuple[str, str]]:
    air = "mild" if route.ambient is None else figure_text(quantity(route.ambient, "degC"))
    if route.ambient is not None:
        if route.cabin is not None:
            air += f", cabin {figure_text(quantity(route.cabin, 'degC'))}"
        if route.heat_pump is not None:
            air += ", heat pump" if route.heat_pump else ", resistive heater"
    chargers = sorted({c for _, c in route.stations})
    return [
        ("distance", figure_text(quantity(route.distance, "km"))),
        ("speed", figure_text(quantity(route.speed, "km/h"))),
        ("air", air),
        ("stations", f"{len(route.stations)} ({', '.join(chargers)})" if chargers else "0"),
        ("start / reserve", f"{pct(route.start_soc)} / {pct(route.reserve)}"),
        ("stop overhead", figure_text(quantity(route.stop_overhead, "min"))),
    ]


def _route_line(route) -> str:
    f = dict(_route_figures(route))
    return repr_line("Route", route.name, [
        f["distance"], f"at {f['speed']}", f"air {f['air']}",
        f"{len(route.stations)} stations",
    ])  # fmt: skip


def _route_html(route) -> str:
    return _assumed_table("Route", route, _route_figures(route))


_show.register("nevcalc.routes.Route", _route_line, _route_html)


# --- nevcalc.scenario.charge.Vehicle
def _vehicle_figures(v) -> list[tuple[str, str]]:
    rows = [
        ("chemistry", v.chemistry),
        ("usable energy", figure_text(quantity(v.usable_energy, "kWh"))),
        ("peak charging power", figure_text(quantity(v.max_power, "kW"))),
        ("voltage class", figure_text(quantity(v.voltage_class, "V"))),
        ("pack voltage 0-100 %", f"{float(v.pack_voltage(0.0)):.0f}-"
                                  f"{float(v.pack_voltage(1.0)):.0f} V"),
        ("max charging current", figure_text(quantity(v.max_current, "A"))),
        ("consumption for km", f"{figure_text(quantity(v.consumption, 'kWh/(100 km)'))}"
                                f" ({v.consumption_cycle or 'given'})"),
    ]  # fmt: skip
    if v.booster_power > 0:
        rows.append(("DC booster", figure_text(quantity(v.booster_power, "kW"))))
    return rows


def _vehicle_line(v) -> str:
    f = dict(_vehicle_figures(v))
    return repr_line("Vehicle", v.name, [
        f"{f['usable energy']} {v.chemistry}", f"{f['peak charging power']} peak",
        f"{f['voltage class']} class", *(("brochure figures",) if v.brochure else ()),
    ])  # fmt: skip


def _vehicle_html(v) -> str:
    notes = ["a car from brochure figures: the rest estimated"] if v.brochure else ()
    return _assumed_table("Vehicle", v, _vehicle_figures(v), notes)


_show.register("nevcalc.scenario.charge.Vehicle", _vehicle_line, _vehicle_html)


# --- nevcalc.scenario.charge.Charger
def _charger_figures(c) -> list[tuple[str, str]]:
    def limit(si, unit):
        return figure_text(quantity(si, unit)) if np.isfinite(si) else "no limit"

    return [
        ("current", c.current_type.upper()),
        ("max power", limit(c.max_power, "kW")),
        ("max current", limit(c.max_current, "A")),
        (
            "output voltage",
            f"{c.min_voltage:.0f}-{c.max_voltage:.0f} V"
            if np.isfinite(c.max_voltage)
            else "no limit",
        ),
        ("efficiency", figure_text(quantity(c.efficiency, "%"))),
    ]


def _charger_line(c) -> str:
    f = dict(_charger_figures(c))
    return repr_line("Charger", c.name, [
        f"{c.current_type.upper()} {f['max power']}", f"{f['max current']}",
        f"{f['output voltage']}",
    ])  # fmt: skip


def _charger_html(c) -> str:
    return _assumed_table("Charger", c, _charger_figures(c))


_show.register("nevcalc.scenario.charge.Charger", _charger_line, _charger_html)


# --- nevcalc.scenario.road.RoadVehicle
def _road_vehicle_figures(v) -> list[tuple[str, str]]:
    official = "-" if v.official_range is None else (
        f"{figure_text(quantity(v.official_range, 'km'))} "
        f"{(v.official_procedure or '').upper()}")  # fmt: skip
    return [
        ("chemistry", v.chemistry),
        ("usable energy", figure_text(quantity(v.usable_energy, "kWh"))),
        ("curb mass", figure_text(quantity(v.curb_mass, "kg"))),
        ("pack mass", figure_text(quantity(v.pack_mass, "kg"))),
        ("drag area CdA", figure_text(quantity(v.cda, "m^2"))),
        ("rolling resistance Crr", f"{v.crr:.4g}"),
        ("motor power", figure_text(quantity(v.motor_power, "kW"))),
        ("official range", official),
    ]


def _road_vehicle_line(v) -> str:
    f = dict(_road_vehicle_figures(v))
    return repr_line("RoadVehicle", v.name, [
        f"{f['usable energy']} {v.chemistry}", f"{f['curb mass']} curb",
        f"CdA {f['drag area CdA']}",
    ])  # fmt: skip


def _road_vehicle_html(v) -> str:
    return _assumed_table("RoadVehicle", v, _road_vehicle_figures(v))


_show.register("nevcalc.scenario.road.RoadVehicle", _road_vehicle_line, _road_vehicle_html)


# --- nevcalc.scenario.charge.ChargeAnswer
def _charge_time_text(ans, doc: dict[str, Any]) -> str:
    if ans.feasible:
        return figure_text(doc["duration"])
    where = f"stops at {pct(ans.soc_reached)}" if ans.soc_reached > ans.soc_from else (
        "cannot start")  # fmt: skip
    return f"not reached: {where} ({ans.stop_limit or 'limit'})"


def _charge_line(ans) -> str:
    from nevcalc.report.charge import charge_document

    doc = charge_document(ans)
    figures = [f"{span(ans.soc_from, ans.soc_to)} in {_charge_time_text(ans, doc)}",
               f"peak {figure_text(doc['peak_power'])}"]  # fmt: skip
    if ans.minutes is not None:
        figures.append(f"{figure_text(doc['range_added'])} in {figure_text(doc['minutes'])}")
    if ans.ambient is not None:
        figures.append(f"air {figure_text(doc['thermal']['ambient'])}")
    return repr_line("ChargeAnswer", f"{ans.vehicle.name} on {ans.charger.name}", figures)


def _charge_html(ans) -> str:
    from nevcalc.report.charge import charge_document

    doc = charge_document(ans)
    rows = [
        ("session", span(ans.soc_from, ans.soc_to)),
        ("time", _charge_time_text(ans, doc)),
    ]
    if ans.interval is not None:
        rows.append(("interval", interval_text(doc["interval"])))
    rows += [
        ("energy into the pack", figure_text(doc["energy_to_battery"])),
        ("energy from the grid", figure_text(doc["energy_from_grid"])),
        ("average power", figure_text(doc["average_power"])),
        ("peak power", figure_text(doc["peak_power"])),
        ("binding limits", segments_text(ans.segments) or "-"),
    ]
    if ans.minutes is not None:
        rows.append(
            (
                f"km in {figure_text(doc['minutes'])}",
                f"{figure_text(doc['range_added'])} (to {figure_text(doc['soc_after'])})",
            )
        )
    if ans.distance is not None:
        rows.append((f"time to add {figure_text(doc['distance'])}",
                     figure_text(doc["minutes_to_add"])))  # fmt: skip
    if ans.ambient is not None:
        th = doc["thermal"]
        rows.append(
            (
                "air / pack on arrival",
                f"{figure_text(th['ambient'])} / {figure_text(th['pack_at_arrival'])}",
            )
        )
        if ans.warmup_time > 0:
            rows.append(("warm-up before current flows", figure_text(th["warmup_time"])))
        if ans.precondition_time > 0:
            rows.append(
                (
                    "preconditioning",
                    f"{figure_text(th['precondition_time'])}, "
                    f"{figure_text(th['precondition_energy'])}",
                )
            )
    return html_table(
        f"ChargeAnswer: {ans.vehicle.name} on {ans.charger.name}",
        rows,
        notes=[ans.reason, ans.add_reason],
        details=(f"{len(ans.assumptions)} assumptions", ans.assumptions),
    )


_show.register("nevcalc.scenario.charge.ChargeAnswer", _charge_line, _charge_html)


# --- nevcalc.scenario.road.RangeAnswer
def _range_line(ans) -> str:
    from nevcalc.report.range import range_document

    doc = range_document(ans)
    return repr_line("RangeAnswer", f"{ans.vehicle.name} on {ans.procedure.upper()}", [
        figure_text(doc["range"]), figure_text(doc["consumption"]),
        f"{figure_text(doc['usable_energy'])} usable",
    ])  # fmt: skip


def _range_html(ans) -> str:
    from nevcalc.report.range import range_document

    doc = range_document(ans)
    rows = [("cycle", ans.title), ("range", figure_text(doc["range"]))]
    if "interval" in doc:
        rows.append(("interval", interval_text(doc["interval"])))
    labels = {
        "consumption": "consumption (battery)",
        "consumption_wall": "consumption (wall)",
        "usable_energy": "usable energy",
        "test_mass": "test mass",
        "pack_mass": "pack mass",
        "official_range": "official range",
    }
    rows += [(label, figure_text(doc[k])) for k, label in labels.items() if k in doc]
    return html_table(
        f"RangeAnswer: {ans.vehicle.name} on {ans.procedure}",
        rows,
        details=(f"{len(ans.assumptions)} assumptions", ans.assumptions),
    )


_show.register("nevcalc.scenario.road.RangeAnswer", _range_line, _range_html)


# --- nevcalc.scenario.compare.CompareAnswer
def _compare_document(ans) -> dict[str, Any]:
    from nevcalc.report.compare import compare_document

    return compare_document(ans.rows, ans.ranges, ans.healths, ans.costs,
                            ans.km_in_20_min)  # fmt: skip


def _compare_line(ans) -> str:
    cars = len({r.vehicle.name for r in ans.rows})
    chargers = len({r.charger.name for r in ans.rows})
    done = [r for r in ans.rows if r.feasible]
    figures = [f"{cars} car{'s' * (cars != 1)} x {chargers} charger{'s' * (chargers != 1)}"]
    if done:
        best = min(done, key=lambda r: r.duration)
        figures.append(
            f"fastest {best.vehicle.name} on {best.charger.name}, "
            f"{span(best.soc_from, best.soc_to)} in {minutes(best.duration)}"
        )
    return repr_line("CompareAnswer", "", figures)  # fmt: skip


def _compare_html(ans) -> str:
    rows = []
    for r, d in zip(ans.rows, _compare_document(ans)["vehicles"], strict=True):
        if r.feasible:
            time = figure_text(d["duration"])
        elif r.soc_reached > r.soc_from:
            time = f"stops at {figure_text(d['soc_reached'])}"
        else:
            time = "cannot start"
        extra = [figure_text(d["range_added"])] if "range_added" in d else []
        rng = figure_text(d.get("range"))
        if d.get("range_cycle") and rng != "-":
            rng += f" {d['range_cycle'].split(' (')[0]}"  # WLTP, not its class
        rows.append(
            [
                r.vehicle.name,
                r.charger.name,
                time,
                figure_text(d["peak_power"]),
                *extra,
                rng,
                segments_text(r.segments, short=True),
            ]
        )
    first = ans.rows[0] if ans.rows else None
    header = ["vehicle", "charger", "peak power", "range", "binding limits"]
    if first is not None:
        header[2:2] = [f"time {span(first.soc_from, first.soc_to)}"]
        if first.minutes is not None:
            header[4:4] = [f"km in {figure_text(quantity(first.minutes, 'min'))}"]
    return html_table(
        "CompareAnswer", rows, header=header,
        notes=[] if ans.chargers_given else ["no charger: each car at its own limits"],
    )  # fmt: skip


_show.register("nevcalc.scenario.compare.CompareAnswer", _compare_line, _compare_html)


# --- nevcalc.scenario.health.HealthAnswer
def _health_end(ans, doc: dict) -> str:
    return f"{figure_text(doc['capacity'][-1])} after {ans.years[-1]} years"


def _health_line(ans) -> str:
    from nevcalc.report.health import health_document

    doc = health_document(ans)
    t80 = doc["years_to_80"]
    return repr_line("HealthAnswer", ans.chemistry, [
        _health_end(ans, doc), f"80 % in {figure_text(t80)}" if t80["value"] is not None else
        "above 80 % throughout", f"{figure_text(doc['efc_per_day'])}",
        f"{figure_text(doc['temperature'])}",
    ])  # fmt: skip


def _health_html(ans) -> str:
    from nevcalc.report.health import health_document

    doc = health_document(ans)
    t80 = doc["years_to_80"]
    lo, hi = (figure_text(q) for q in doc["soc_window"])
    rows = [
        ("ageing model", ans.model),
        ("capacity", _health_end(ans, doc)),
        ("years to 80 %", figure_text(t80) if t80["value"] is not None
         else t80.get("reason", "-")),
        ("SoC window", f"{lo} to {hi}"),
        ("cycles a day", figure_text(doc["efc_per_day"])),
        ("charge rate", figure_text(doc["charge_rate"])),
        ("temperature", figure_text(doc["temperature"])),
    ]  # fmt: skip
    if ans.climate:
        rows.append(("climate", ans.climate))
    by_year = ", ".join(f"{c['year']}: {c['value']:.1f}" for c in doc["capacity"])
    rows.append(("capacity by year [%]", by_year))
    return html_table(
        f"HealthAnswer: {ans.chemistry}",
        rows,
        notes=ans.validity,
        details=(f"{len(ans.assumptions)} assumptions", ans.assumptions),
    )


_show.register("nevcalc.scenario.health.HealthAnswer", _health_line, _health_html)


# --- nevcalc.scenario.cost.CostAnswer
def _cost_line(ans) -> str:
    from nevcalc.report.cost import cost_document

    doc = cost_document(ans, "USD", 1.0)
    what = "total" if ans.with_purchase else "running"
    return repr_line("CostAnswer", ans.vehicle, [
        f"{what} {figure_text(doc['total'])} over {ans.years} years",
        figure_text(doc["per_km"]), f"{figure_text(doc['distance_per_year'])}",
    ])  # fmt: skip


def _cost_html(ans) -> str:
    from nevcalc.report.cost import cost_document

    doc = cost_document(ans, "USD", 1.0)
    rows = [("years", str(ans.years)),
            ("distance a year", figure_text(doc["distance_per_year"]))]  # fmt: skip
    rows += [(f"{k} (present value)", figure_text(v)) for k, v in doc["parts"].items()]
    rows += [
        ("total", figure_text(doc["total"])),
        ("per km", figure_text(doc["per_km"])),
        ("battery replaced", f"year {ans.replacement_year}" if ans.replacement_year
         else "no"),
        (f"capacity after {ans.years} years", figure_text(doc["capacity_at_end"])),
        ("time at fast chargers a year", figure_text(doc["fast_charge_time_per_year"])),
    ]  # fmt: skip
    return html_table(
        f"CostAnswer: {ans.vehicle}" + ("" if ans.with_purchase else " (running cost)"),
        rows,
        details=(f"{len(ans.assumptions)} assumptions", ans.assumptions),
    )


_show.register("nevcalc.scenario.cost.CostAnswer", _cost_line, _cost_html)


# --- nevcalc.scenario.trend.TrendAnswer
def _trend_line(ans) -> str:
    from nevcalc.report.trend import trend_document

    doc = trend_document(ans)
    lo, hi = (figure_text(q) for q in doc["learning_rate_interval"])
    last = doc["pack_price"][-1]
    return repr_line("TrendAnswer", "pack prices", [
        f"learning rate {figure_text(doc['learning_rate'])} a doubling (95 %: {lo}-{hi})",
        f"{figure_text(doc['annual_price_change'])} a year",
        f"{last['value']:.4g} {last['unit']} in {last['year']}",
    ])  # fmt: skip


def _trend_html(ans) -> str:
    from nevcalc.report.trend import trend_document

    doc = trend_document(ans)
    lo, hi = (figure_text(q) for q in doc["learning_rate_interval"])
    rows = [
        ("prices in", doc["dollar_basis"]),
        ("learning rate (per doubling of volume)",
         f"{figure_text(doc['learning_rate'])} (95 %: {lo} to {hi})"),
        ("price change a year", figure_text(doc["annual_price_change"])),
        ("volume growth a year", figure_text(doc["growth"])),
    ]  # fmt: skip
    prices = [(str(p["year"]), f"{p['value']:.4g}", f"{p['low']:.4g}-{p['high']:.4g}",
               f"{p['by_year']:.4g}") for p in doc["pack_price"]]  # fmt: skip
    head = html_table("TrendAnswer: pack prices", rows)
    table = html_table(
        "pack price projected [USD/kWh]", prices,
        header=["year", "by volume", "95 % interval", "by year"],
    )  # fmt: skip
    return head + "\n" + table


_show.register("nevcalc.scenario.trend.TrendAnswer", _trend_line, _trend_html)


# --- nevcalc.scenario.trip.TripAnswer
def _trip_line(ans) -> str:
    from nevcalc.report.trip import trip_document

    doc = trip_document(ans)
    if not ans.feasible:
        figures = ["cannot be driven", ans.reason]
    else:
        figures = [figure_text(doc["total_time"]), f"{len(ans.stops)} stops",
                   f"{figure_text(doc['charging_time'])} charging"]  # fmt: skip
    return repr_line("TripAnswer", f"{ans.vehicle.name} on {ans.route.name}", figures)


def _trip_html(ans) -> str:
    from nevcalc.report.trip import trip_document

    doc = trip_document(ans)
    r = doc["route"]
    rows = [
        ("route", f"{r['title']} ({figure_text(r['distance'])})"),
        ("air", figure_text(r["ambient"]) if r["ambient"]["value"] is not None
         else "mild (pack at 25 degC)"),
        ("total time", figure_text(doc["total_time"])),
        ("driving", figure_text(doc["drive_time"])),
        ("at stops", f"{figure_text(doc['stop_time'])} ({len(ans.stops)} stops)"),
        ("mean speed", figure_text(doc["trip_speed"])),
        ("consumption", figure_text(doc["consumption"])),
        ("energy from chargers", figure_text(doc["energy_from_grid"])),
        ("SoC at the destination", figure_text(doc["arrive_end"])),
    ]  # fmt: skip
    stops = [(figure_text(p["at"]), p["charger"],
              f"{figure_text(p['arrive'])} -> {figure_text(p['leave'])}",
              figure_text(p["time"]), p["limit"] or "-") for p in doc["plan"]]  # fmt: skip
    out = html_table(
        f"TripAnswer: {ans.vehicle.name} on {ans.route.name}",
        rows,
        notes=[ans.reason],
        details=(f"{len(ans.assumptions)} assumptions", ans.assumptions),
    )
    if stops:
        out += "\n" + html_table(
            "stops", stops, header=["at", "charger", "SoC", "stop", "main limit"]
        )
    return out  # fmt: skip


_show.register("nevcalc.scenario.trip.TripAnswer", _trip_line, _trip_html)


# --- nevcalc.scenario.scenarios.ScenarioAnswer
def _scenario_line(ans) -> str:
    verdicts = [c.verdict for c in ans.checks]
    counts = ", ".join(f"{verdicts.count(v)} {v}" for v in
                       ("holds", "does not hold", "cannot tell") if v in verdicts)  # fmt: skip
    return repr_line("ScenarioAnswer", ans.name, [
        f"{len(ans.cases)} cases", f"{len(ans.checks)} claims ({counts})",
    ])  # fmt: skip


def _scenario_html(ans) -> str:
    from nevcalc.scenario.scenarios import METRICS

    def text(si, metric, change):
        if si is None or not np.isfinite(si):
            return "-"
        return f"x{si:.3g}" if change else figure_text(quantity(si, metric))

    claims = [(ch.text, text(ch.claimed, ch.metric, ch.change),
               text(ch.computed, ch.metric, ch.change), ch.verdict)
              for ch in ans.checks]  # fmt: skip
    keys = [k for k in METRICS if any(c.metrics.get(k) is not None for c in ans.cases)]
    cases = [[METRICS[k].title or k, *(text(c.metrics.get(k), k, False) for c in ans.cases)]
             for k in keys]  # fmt: skip
    return "\n".join([
        html_table(f"ScenarioAnswer {ans.name}: {ans.title}", claims,
                   header=["claim", "claimed", "nevcalc", "verdict"],
                   notes=[ans.description]),
        html_table("cases", cases, header=["metric", *(c.name for c in ans.cases)]),
    ])  # fmt: skip


_show.register("nevcalc.scenario.scenarios.ScenarioAnswer", _scenario_line, _scenario_html)


# --- nevcalc.sweeps.engine.SweepResult
def _sweep_result_line(result) -> str:
    kept = f"{len(result.columns)} columns kept" if result.columns is not None else (
        f"rows in {result.output}" if result.output else "rows not kept")  # fmt: skip
    return repr_line("SweepResult", result.plan.title, [
        f"{result.scenarios:,} rows in {result.seconds:.3g} s", kept,
    ])  # fmt: skip


def _sweep_result_html(result) -> str:
    # the figures of nevcalc.report.sweep.sweep_document (which imports this package)
    chunks = f"{result.chunks} chunk{'s' * (result.chunks != 1)}"
    where = result.output or ("kept in memory" if result.columns is not None else "-")
    rows = [
        ("rows", f"{result.scenarios:,}"),
        ("shape", " x ".join(str(n) for n in result.plan.shape) or "-"),
        ("time", f"{result.seconds:.3g} s ({result.scenarios_per_second:,.0f} rows/s)"),
        ("engine", f"{result.engine}, {chunks}"),
        ("output", where),
    ]
    if result.columns is not None:
        rows.append(("rows with a reason code", f"{int((result.columns['reason'] != 0).sum()):,}"))
        units = result.units
        rows.append(("columns", ", ".join(f"{k} [{units[k]}]" if units.get(k) else k
                                          for k in result.columns)))  # fmt: skip
    return html_table(f"SweepResult: {result.plan.title}", rows, notes=result.plan.notes)


_show.register("nevcalc.sweeps.engine.SweepResult", _sweep_result_line, _sweep_result_html)
