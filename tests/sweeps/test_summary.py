"""Sweep summaries match the rows: exact min, max, mean and counts; quantiles exact (or
within the stated bound from histograms) against numpy on the same rows; infinities counted
the same way in the summary, its JSON and its table; best rows and the Pareto front say
which row (and draw) they are."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nevcalc
from nevcalc.sweeps.output import HIST_BOUND, Summary

QS = [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0]
LABELS = ["q00", "q01", "q05", "q25", "q50", "q75", "q95", "q99", "q100"]


def _columns(rng, n):
    """Synthetic metric columns of every awkward kind."""
    wide = np.exp(rng.normal(0.0, 5.0, n))  # twelve decades
    mixed_inf = rng.normal(30.0, 5.0, n)
    mixed_inf[rng.random(n) < 0.3] = np.inf
    signed_inf = rng.normal(0.0, 1.0, n)
    signed_inf[:3] = -np.inf
    signed_inf[3:5] = np.inf
    return {
        "range": np.full(n, 638.7618109368741),  # constant: every statistic is the value
        "km_in_5_min": 375.0 + rng.normal(0.0, 1e-6, n),  # narrow
        "cost_energy": wide,
        "cost_time": rng.normal(-50.0, 100.0, n),  # negative and positive
        "years_to_80": mixed_inf,
        "capacity_end": signed_inf,
        "peak_power": rng.integers(0, 3, n).astype(float),  # ties and zeros
        # runs of one value, as a crossed sweep's slower axes give: zeros of both signs,
        # infinities, tiny and huge magnitudes of both signs
        "cost_replacement": np.repeat(
            rng.choice([-0.0, 0.0, np.inf, -np.inf, 1.5, -2.5, 1e-300, -1e300], n // 300 + 1),
            300,
        )[:n],
        "range_stepped": np.repeat(rng.normal(400.0, 50.0, n // 768 + 1), 768)[:n],
    }


def _exact(x, qs):
    x = x[~np.isnan(x)]
    return np.quantile(x, qs, method="inverted_cdf")


def _summarise(cols_list, exact, group=False):
    metrics = [k for k in cols_list[0] if k not in ("reason", "vehicle")]
    names = {"vehicle": ("a", "b", "c")}
    spec = {"quantiles": QS, "group_by": ["vehicle"] if group else []}
    s = Summary(spec, metrics, names, exact=exact)
    start = 0
    for cols in cols_list:
        s.add(cols, start)
        start += len(cols["reason"])
    return s.document()


@pytest.mark.parametrize("sizes", [(5000, 3, 7001), (40_000, 3, 70_001)], ids=["small", "large"])
@pytest.mark.parametrize("exact", [True, False], ids=["exact", "histogram"])
def test_statistics_match_numpy_on_awkward_columns(exact, sizes):
    rng = np.random.default_rng(11)
    chunks = []
    for n in sizes:  # uneven chunks, one tiny
        cols = _columns(rng, n)
        cols["reason"] = np.where(rng.random(n) < 0.05, 50, 0).astype(np.int8)
        for k in cols:
            if k != "reason":
                cols[k] = np.where(cols["reason"] == 0, cols[k], np.nan)
        chunks.append(cols)
    doc = _summarise(chunks, exact)
    assert doc["quantiles_exact"] is exact
    all_cols = {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]}
    ok = all_cols["reason"] == 0
    assert doc["infeasible"] == int((~ok).sum()) and doc["reasons"] == {"50": int((~ok).sum())}
    (g,) = doc["groups"]
    assert g["answered"] == int(ok.sum())
    for m, d in g["metrics"].items():
        x = all_cols[m][ok]
        fin = x[np.isfinite(x)]
        assert d["count"] == x.size
        assert d["inf"] == int((x == np.inf).sum()) and d["neg_inf"] == int((x == -np.inf).sum())
        assert d["min"] == x.min() and d["max"] == x.max()
        assert d["finite_mean"] == pytest.approx(fin.mean(), rel=1e-12, abs=1e-12)
        if d["inf"] and d["neg_inf"]:
            assert np.isnan(d["mean"])
        elif d["inf"] or d["neg_inf"]:
            assert d["mean"] == (np.inf if d["inf"] else -np.inf)
        else:
            assert d["mean"] == pytest.approx(x.mean(), rel=1e-12, abs=1e-12)
        want = _exact(x, QS)
        got = np.array([d[label] for label in LABELS], float)
        if exact:
            np.testing.assert_array_equal(got, want, err_msg=m)
        else:
            same = got == want  # infinities, ends and constants exactly
            err = np.abs(got[~same] - want[~same])
            assert np.all(err <= HIST_BOUND * np.abs(want[~same]) + 1e-300), m
        # the numbers agree with one another: min <= quantiles <= max, mean inside
        assert np.all(got >= d["min"]) and np.all(got <= d["max"])
        if d["mean"] is not None and not np.isnan(d["mean"]):
            assert d["min"] <= d["mean"] <= d["max"]
    assert g["metrics"]["range"]["q05"] == g["metrics"]["range"]["q95"] == 638.7618109368741


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "histogram"])
def test_groups_are_summarised_apart(exact):
    rng = np.random.default_rng(3)
    n = 4000
    cols = {"vehicle": rng.integers(0, 3, n).astype(np.int32), "reason": np.zeros(n, np.int8),
            "cost_time": rng.normal(0.0, 10.0, n)}  # fmt: skip
    cols["cost_time"][cols["vehicle"] == 2] = 7.25  # one group constant
    doc = _summarise([cols], exact, group=True)
    assert [g["group"]["vehicle"] for g in doc["groups"]] == ["a", "b", "c"]
    for code, g in enumerate(doc["groups"]):
        x = cols["cost_time"][cols["vehicle"] == code]
        d = g["metrics"]["cost_time"]
        assert g["rows"] == x.size and d["min"] == x.min() and d["max"] == x.max()
        want = _exact(x, QS)
        got = np.array([d[label] for label in LABELS])
        assert np.all(np.abs(got - want) <= (0 if exact else HIST_BOUND) * np.abs(want))
    assert all(doc["groups"][2]["metrics"]["cost_time"][q] == 7.25 for q in LABELS)


def test_best_follows_the_metric_direction_and_ties_take_the_first_row():
    n = 10
    cols = {
        "reason": np.zeros(n, np.int8),
        "km_in_5_min": np.array([1, 9, 3, 9, 2, 0, 0, 0, 0, 0], float),  # higher is better
        "running_cost_per_km": np.array([5, 4, 1, 6, 1, 7, 8, 9, 9, 9], float),
    }
    s = Summary({"best": ["km_in_5_min", "running_cost_per_km"]}, list(cols)[1:], {},
                draws=4)  # fmt: skip
    s.add({k: v[:5] for k, v in cols.items()}, 100)
    s.add({k: v[5:] for k, v in cols.items()}, 105)
    doc = s.document()
    best = doc["groups"][0]["best"]
    assert best["km_in_5_min"]["row"] == 101 and best["km_in_5_min"]["km_in_5_min"] == 9
    assert best["running_cost_per_km"]["row"] == 102
    assert best["running_cost_per_km"]["draw"] == 102 % 4
    assert best["running_cost_per_km"]["grid_point"] == 102 // 4
    assert doc["goals"] == {"km_in_5_min": "highest", "running_cost_per_km": "lowest"}


def test_pareto_front_with_a_metric_to_maximise_is_the_brute_force_front():
    rng = np.random.default_rng(5)
    n = 3000
    a = rng.integers(0, 40, n).astype(float)  # ties on purpose
    b = rng.integers(0, 40, n).astype(float)
    cols = {"reason": np.zeros(n, np.int8), "km_in_5_min": a, "running_cost_per_km": b}
    s = Summary({"pareto": ["km_in_5_min", "running_cost_per_km"]}, list(cols)[1:], {})
    for start in range(0, n, 700):
        s.add({k: v[start : start + 700] for k, v in cols.items()}, start)
    front = s.document()["pareto"]["rows"]
    # brute force: maximise a, minimise b; of equal points the first row
    dominated = np.array(
        [np.any((a >= a[i]) & (b <= b[i]) & ((a > a[i]) | (b < b[i]))) for i in range(n)]
    )
    want = {}
    for i in np.flatnonzero(~dominated):
        want.setdefault((a[i], b[i]), i)
    assert {(r["km_in_5_min"], r["running_cost_per_km"]): r["row"] for r in front} == want


MC = {
    "kind": "sweep",
    "title": "mc",
    "base": {"vehicle": "byd-han-l", "charger": "byd-megawatt", "usage": "private-china"},
    "axis": [
        {"field": "vehicle", "values": ["byd-han-l", "kia-ev6-77"]},
        {"field": "charger.max_power", "distribution": "uniform", "low": "100 kW",
         "high": "1000 kW"},
        {"field": "usage.temperature", "distribution": "normal", "mean": "25 degC",
         "sd": "6 K"},
        {"field": "usage.fast_charge_share", "distribution": "triangular", "low": "0 %",
         "mode": "20 %", "high": "80 %"},
    ],
    "draws": {"n": 3000, "seed": 9},
    "summary": {"group_by": ["vehicle"], "quantiles": [0.05, 0.5, 0.95],
                "best": ["km_in_5_min"], "pareto": ["charge_10_80", "running_cost_per_km"]},
}  # fmt: skip


def test_sweep_summary_equals_numpy_on_the_same_rows():
    rows = nevcalc.sweep(MC, chunk_rows=1024).to_pandas()
    summ = nevcalc.sweep(MC, summary=True, stream=True, chunk_rows=1024).summary
    assert summ["quantiles_exact"]
    for g in summ["groups"]:
        sub = rows[(rows.vehicle == g["group"]["vehicle"]) & (rows.reason == 0)]
        for m, d in g["metrics"].items():
            x = sub[m].to_numpy()
            want = np.quantile(x, [0.05, 0.5, 0.95], method="inverted_cdf")
            assert [d["q05"], d["q50"], d["q95"]] == list(want), m
            assert d["inf"] == int(np.isinf(x).sum())
            assert (d["min"], d["max"]) == (x.min(), x.max())
        rng = sub["range"].to_numpy()
        assert np.all(rng == rng[0]) and g["metrics"]["range"]["q05"] == rng[0]
        best = g["best"]["km_in_5_min"]
        assert best["km_in_5_min"] == sub.km_in_5_min.max()
        i = int(np.flatnonzero(sub.km_in_5_min.to_numpy() == sub.km_in_5_min.max())[0])
        assert best["row"] == int(sub.index[i])
        assert best["charger.max_power"] == sub["charger.max_power"].iloc[i]
        assert best["draw"] == best["row"] % 3000


def test_cli_table_and_json_count_infinities_alike_and_name_pareto_rows(run_cli, tmp_path):
    spec = tmp_path / "mc.toml"
    lines = ['kind = "sweep"', 'title = "mc"', "[base]", 'vehicle = "byd-han-l"',
             'charger = "byd-megawatt"', 'usage = "private-china"',
             "[[axis]]", 'field = "charger.max_power"', 'distribution = "uniform"',
             'low = "100 kW"', 'high = "1000 kW"', "[[axis]]", 'field = "usage.temperature"',
             'distribution = "uniform"', 'low = "20 degC"', 'high = "45 degC"',
             "[draws]", "n = 2000", "seed = 1",
             "[summary]", 'best = ["km_in_5_min"]',
             'pareto = ["charge_10_80", "running_cost_per_km"]']  # fmt: skip
    spec.write_text("\n".join(lines) + "\n")
    code, out, err = run_cli("sweep", str(spec), "--summary", "--json")
    assert code == 0, err
    doc = json.loads(out)["summary"]
    y80 = doc["groups"][0]["metrics"]["years_to_80"]
    assert y80["inf"] > 0 and y80["mean"] is None and y80["finite_mean"] > 0
    assert "inf" in doc["infinities"]
    code, text, err = run_cli("sweep", str(spec), "--summary")
    assert code == 0, err
    assert "inf rows" in text and f"{y80['inf']:,}" in text
    assert "highest km_in_5_min" in text  # the spec's best is shown
    front = doc["pareto"]["rows"]
    assert front and all("draw" in r and "charger.max_power" in r for r in front)
    for r in front:
        assert f"row {r['row']:,} (draw {r['draw']:,}" in text
    assert not any(line.rstrip().endswith(":") for line in text.splitlines())


def _column_kinds(rng, n):
    """Columns whose chunks take every path of the running statistics."""
    runs = np.repeat(rng.choice([-0.0, 0.0, np.nan, np.inf, -np.inf, 1.5, -2.5, 1e-300, -1e300],
                                n // 300 + 1), 300)[:n]  # fmt: skip
    noisy = rng.normal(0.0, 1.0, n)
    noisy[rng.random(n) < 0.01] = np.nan
    return {
        "runs": runs,
        "runs_no_nan": np.where(np.isnan(runs), 7.0, runs),
        "positive_runs": np.repeat(np.exp(rng.normal(0.0, 5.0, n // 50 + 1)), 50)[:n],
        "negative": -np.exp(rng.normal(0.0, 3.0, n)),
        "signed": rng.normal(-5.0, 10.0, n),
        "noisy": noisy,
        "zeros": np.where(rng.random(n) < 0.5, -0.0, 0.0),
        "minus_zero": np.full(n, -0.0),
        "nan": np.full(n, np.nan),
        "inf": np.where(rng.random(n) < 0.3, np.inf, rng.normal(30.0, 5.0, n)),
    }


@pytest.mark.parametrize("seed", [0, 1])
def test_histogram_holds_every_value_in_its_bin(seed):
    """However a chunk is counted (value by value in interleaved slices, or by runs of one
    value; only the bins between its min and max), the running histogram is numpy's
    bincount of all values' bins, and the counts, min and max are numpy's."""
    from nevcalc.sweeps.output import _HALF, _SHIFT, _Stats

    rng = np.random.default_rng(seed)
    chunks = [_column_kinds(rng, n) for n in (5000, 3, 4096, 1, 70_001, 2047)]
    for name in chunks[0]:
        st = _Stats(exact=False)
        for c in chunks:
            st.add(c[name])
        x = np.concatenate([c[name] for c in chunks])
        bins = (x.view(np.uint64) >> _SHIFT).astype(np.int64)
        np.testing.assert_array_equal(st.hist, np.bincount(bins, minlength=2 * _HALF), name)
        y = x[~np.isnan(x)]
        assert (st.n, st.nan) == (y.size, x.size - y.size), name
        assert (st.posinf, st.neginf) == (int((y == np.inf).sum()), int((y == -np.inf).sum()))
        assert (st.lo, st.hi) == ((y.min(), y.max()) if y.size else (np.inf, -np.inf)), name


def test_exact_quantiles_select_what_numpy_partition_selects():
    """Order statistics selected one after another are numpy's, on ties, infinities, NaN,
    sorted and periodic columns kept in uneven parts."""
    from nevcalc.sweeps.output import _select

    rng = np.random.default_rng(4)
    n = 60_000
    cols = _column_kinds(rng, n)
    cols["sorted"] = np.sort(rng.normal(0.0, 1.0, n))
    cols["periodic"] = np.tile(np.arange(97.0), n // 97 + 1)[:n]
    cols["ties"] = rng.integers(0, 5, n).astype(float)
    for name, x in cols.items():
        parts = [x[:1000], x[1000:1000], x[1000:45_000], x[45_000:]]
        y = x[~np.isnan(x)]
        if y.size == 0:
            continue
        ks = sorted({0, y.size - 1, *rng.integers(0, y.size, 8).tolist(),
                     int(0.05 * y.size), y.size // 2})  # fmt: skip
        got = _select(parts, y.size, ks)
        want = np.partition(y, ks)
        assert [got[k] for k in ks] == [float(want[k]) for k in ks], name


def test_pareto_front_skips_unanswered_and_infinite_rows():
    """Rows that are not answered, or have NaN or an infinity in either metric, are never
    on the front; the front of the others is the brute-force one, chunk by chunk."""
    rng = np.random.default_rng(8)
    n = 4000
    a = rng.integers(0, 1000, n).astype(float)  # some ties
    b = rng.integers(0, 1000, n).astype(float)
    reason = np.zeros(n, np.int8)
    reason[rng.random(n) < 0.1] = 3
    a[rng.random(n) < 0.02] = np.inf  # charge_10_80 lower is better: inf would be worst
    b[rng.random(n) < 0.02] = np.nan
    b[rng.random(n) < 0.02] = -np.inf  # running cost lower is better: -inf would win
    a[:3], b[:3], reason[:3] = -1.0, -1.0, 7  # the best point, but not answered
    cols = {"reason": reason, "charge_10_80": a, "running_cost_per_km": b}
    s = Summary({"pareto": ["charge_10_80", "running_cost_per_km"]}, list(cols)[1:], {})
    for start in range(0, n, 1000):  # the last chunks are all answered and finite
        s.add({k: v[start : start + 1000] for k, v in cols.items()}, start)
    front = s.document()["pareto"]["rows"]
    good = (reason == 0) & np.isfinite(a) & np.isfinite(b)
    want = {}
    for i in np.flatnonzero(good):
        dominated = (good & (a <= a[i]) & (b <= b[i]) & ((a < a[i]) | (b < b[i]))).any()
        if not dominated:
            want.setdefault((a[i], b[i]), i)
    got = {(r["charge_10_80"], r["running_cost_per_km"]): r["row"] for r in front}
    assert got == want and len(got) > 1


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "histogram"])
def test_document_is_the_same_whatever_the_threads(exact):
    """Quantiles found side by side in threads are the ones found one after another,
    run after run, and the default picks threads only for many kept values."""
    rng = np.random.default_rng(21)
    chunks = []
    for n in (30_000, 50_000):
        cols = {"vehicle": rng.integers(0, 3, n).astype(np.int32), **_column_kinds(rng, n)}
        cols["reason"] = np.where(rng.random(n) < 0.05, 9, 0).astype(np.int8)
        chunks.append(cols)
    metrics = [k for k in chunks[0] if k not in ("reason", "vehicle")]
    s = Summary({"group_by": ["vehicle"], "quantiles": QS}, metrics, {"vehicle": ("a", "b", "c")},
                exact=exact)  # fmt: skip
    start = 0
    for cols in chunks:
        s.add(cols, start)
        start += len(cols["reason"])
    one = json.dumps(s.document(threads=1))
    assert all(json.dumps(s.document(threads=t)) == one for t in (2, 3, 4, 3, 2))
    assert json.dumps(s.document()) == one


@pytest.mark.parametrize("layout", ["blocks", "scattered", "one"])
def test_best_row_of_each_group_is_the_brute_force_one(layout):
    """Groups whose rows follow one another (a slow group axis), are scattered, or fill
    the chunk: each group's best row, its number and inputs are the brute-force ones."""
    rng = np.random.default_rng(13)
    n = 6000
    vehicle = {"blocks": np.repeat(np.arange(3), n // 3), "scattered": rng.integers(0, 3, n),
               "one": np.full(n, 1)}[layout].astype(np.int32)  # fmt: skip
    cost = rng.integers(0, 500, n).astype(float)  # ties: the first row wins
    reason = np.where(rng.random(n) < 0.05, 4, 0).astype(np.int8)
    cols = {"vehicle": vehicle, "reason": reason, "running_cost_per_km": cost,
            "km_in_5_min": rng.normal(50.0, 10.0, n)}  # fmt: skip
    s = Summary({"group_by": ["vehicle"], "best": ["running_cost_per_km", "km_in_5_min"]},
                ["running_cost_per_km", "km_in_5_min"], {"vehicle": ("a", "b", "c")})  # fmt: skip
    for start in range(0, n, 1500):
        s.add({k: v[start : start + 1500] for k, v in cols.items()}, 10_000 + start)
    doc = s.document()
    for g in doc["groups"]:
        code = ("a", "b", "c").index(g["group"]["vehicle"])
        rows = np.flatnonzero((vehicle == code) & (reason == 0))
        assert g["rows"] == int((vehicle == code).sum()) and g["answered"] == rows.size
        low = rows[np.argmin(cost[rows])]
        high = rows[np.argmax(cols["km_in_5_min"][rows])]
        best = g["best"]
        assert best["running_cost_per_km"]["row"] == 10_000 + low
        assert best["running_cost_per_km"]["running_cost_per_km"] == cost[low]
        assert best["km_in_5_min"]["row"] == 10_000 + high
        assert best["km_in_5_min"]["vehicle"] == g["group"]["vehicle"]
        assert g["metrics"]["running_cost_per_km"]["min"] == cost[rows].min()


@pytest.mark.parametrize("rows", [1024, 22 * 48], ids=["across-runs", "whole-runs"])
@pytest.mark.parametrize("nan", [False, True], ids=["unanswered", "nan-rows"])
@pytest.mark.parametrize("group", [False, True], ids=["whole", "by-vehicle"])
def test_summary_by_runs_equals_the_summary_of_every_row(group, nan, rows):
    """Counting a crossed chunk's columns by their runs (:attr:`Chunk.runs`) gives the
    summary of counting every row: the same document, the means to rounding. Rows without
    pack figures are left out as unanswered, or (``nan``) counted as NaN values; chunks
    start inside runs of 48 rows, or (``rows`` = 22 * 48) hold whole runs."""
    from nevcalc.sweeps.evaluate import evaluate_chunk, prepare
    from nevcalc.sweeps.plan import plan_from_dict
    from tests.sweeps.test_evaluate import CROSSED

    prep = prepare(plan_from_dict(CROSSED), rows)
    spec = {"quantiles": QS, "group_by": ["vehicle"] if group else []}
    docs = []
    for plain in (False, True):
        s = Summary(spec, prep.plan.outputs, prep.names, exact=False)
        for k in range(prep.chunks):
            chunk = evaluate_chunk(prep, k)
            assert chunk.runs  # (the runs are used)
            if nan:
                chunk["reason"] = np.zeros_like(chunk["reason"])
            s.add(dict(chunk) if plain else chunk, k * rows)
        docs.append(s.document())
    by_runs, by_rows = docs
    for g, h in zip(by_runs.pop("groups"), by_rows.pop("groups"), strict=True):
        for m, d in g.pop("metrics").items():
            e = h["metrics"][m]
            for key in ("mean", "finite_mean"):
                a, b = d.pop(key), e.pop(key)
                assert a == pytest.approx(b, rel=1e-13, nan_ok=True), (m, key)
            assert d == e, m
        h.pop("metrics")
        assert g == h
    assert by_runs == by_rows
