"""The sweep engine: memory bound, Python API, the CLI run summary, identical output
across engines and threads, the progress bar."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import nevcalc
from nevcalc.errors import InputError
from tests.helpers import POWER, PRICES, VEHICLES
from tests.helpers import mc_doc as _mc_doc
from tests.helpers import sweep_doc as _doc
from tests.helpers import sweep_toml as _toml


def test_a_sweep_too_large_for_memory_needs_stream(run_cli, tmp_path):
    big = {"field": "usage.electricity_price", "from": "0.01 USD/kWh", "to": "1 USD/kWh",
           "num": 4000}  # fmt: skip
    doc = _doc(VEHICLES, POWER, big, {"field": "usage.fast_charge_price", "from": "0.1 USD/kWh",
                                      "to": "1 USD/kWh", "num": 300})  # fmt: skip
    with pytest.raises(InputError, match="--stream"):
        nevcalc.sweep(doc)
    spec = tmp_path / "big.toml"
    spec.write_text(_toml(doc))
    code, _out, err = run_cli("sweep", str(spec))
    assert code == 2 and "--stream" in err and "Traceback" not in err


def test_python_api_converts_to_pandas_and_xarray():
    res = nevcalc.sweep(_doc(VEHICLES, POWER, PRICES))
    df = res.to_pandas()
    assert len(df) == 54 and df.attrs["units"]["charge_10_80"] == "min"
    ds = res.to_xarray()
    assert ds["charge_10_80"].dims == ("vehicle", "charger.max_power", "usage.electricity_price")
    assert list(ds["charger.max_power"].values) == [100.0, 350.0, 1000.0]
    assert ds["running_cost_per_km"].attrs["units"] == "USD/km"


def test_cli_json_run_summary(run_cli, tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text(_toml(_doc(VEHICLES, POWER)))
    out = tmp_path / "o.parquet"
    code, stdout, err = run_cli("sweep", str(spec), "-o", str(out), "--json")
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["scenarios"] == 9 and doc["output"] == str(out)
    assert doc["scenarios_per_second"] > 0 and doc["seconds"] > 0
    code, _o, err = run_cli("sweep", "no-such-sweep")
    assert code == 2 and "no sweep named" in err
    code, _o, err = run_cli("sweep", str(spec), "--resume")
    assert code == 2 and "-o" in err


@pytest.mark.slow
def test_dask_engine_writes_the_same_file(tmp_path):
    pytest.importorskip("distributed")
    local, remote = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    nevcalc.sweep(_mc_doc(), str(local), chunk_rows=2048)
    res = nevcalc.sweep(_mc_doc(), str(remote), chunk_rows=2048, engine="dask", workers=2)
    assert res.engine == "dask"
    assert Path(remote).read_bytes() == Path(local).read_bytes()


def test_local_threads_do_not_change_the_output(tmp_path):
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    nevcalc.sweep(_mc_doc(), str(one), chunk_rows=2048, workers=1)
    nevcalc.sweep(_mc_doc(), str(two), chunk_rows=2048, workers=2)
    assert one.read_bytes() == two.read_bytes()


def test_progress_bar_on_a_terminal_only(monkeypatch):
    from nevcalc.sweeps.engine import _progress

    assert _progress(3, 1000, quiet=False) is None  # tests run in a pipe
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = _progress(3, 1000, quiet=False)
    try:
        assert bar is not None
        columns = " ".join(type(c).__name__ for c in bar.columns)
        assert "TimeRemainingColumn" in columns  # the ETA
        assert "{task.fields[rate]}" in str([getattr(c, "text_format", "") for c in bar.columns])
    finally:
        bar.stop()
    assert _progress(3, 1000, quiet=True) is None


@pytest.mark.parametrize("workers", [1, 2])
def test_columns_written_into_again_give_the_rows_kept_in_memory(tmp_path, monkeypatch,
                                                                 workers):  # fmt: skip
    """A sweep streamed to a file writes each chunk into the arrays of one already read;
    every row must still be the row of the sweep kept in memory (a reused array that is
    read late, or not fully written, would show here)."""
    import csv

    import numpy as np

    from nevcalc.sweeps import engine

    prices = dict(PRICES, num=12)
    shares = {"field": "usage.fast_charge_share", "from": "0 %", "to": "90 %", "num": 10}
    fast = {"field": "usage.fast_charge_price", "from": "0.2 USD/kWh", "to": "0.6 USD/kWh",
            "num": 7}  # fmt: skip
    doc = _doc(VEHICLES, POWER, prices, shares, fast)
    kept = nevcalc.sweep(doc, chunk_rows=1024)
    reused = []
    real = engine.evaluate_chunk

    def spy(prep, chunk, into=None):
        reused.append(bool(into))
        return real(prep, chunk, into)

    monkeypatch.setattr(engine, "evaluate_chunk", spy)
    out = tmp_path / "rows.csv"
    # 7,560 rows: eight chunks of 1,024, the last one shorter
    nevcalc.sweep(doc, str(out), chunk_rows=1024, stream=True, workers=workers)
    assert any(reused)
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == kept.scenarios == 3 * 3 * 12 * 10 * 7
    for name in ("running_cost_per_km", "charge_10_80", "capacity_end"):
        col = next(c for c in rows[0] if c.split(" [")[0] == name)
        got = np.array([float(r[col]) for r in rows])
        assert np.allclose(got, kept.columns[name], rtol=1e-7, equal_nan=True), name


def test_a_summary_of_histograms_is_the_same_when_columns_are_written_into_again(
    monkeypatch,
):
    """Binned summaries keep no column: streamed chunks then reuse arrays, and every
    figure must equal the summary of the same sweep whose rows are kept."""
    from nevcalc.sweeps import output

    monkeypatch.setattr(output.Summary, "EXACT_VALUES", 1000)  # binned quantiles here
    prices = dict(PRICES, num=12)
    shares = {"field": "usage.fast_charge_share", "from": "0 %", "to": "90 %", "num": 10}
    fast = {"field": "usage.fast_charge_price", "from": "0.2 USD/kWh", "to": "0.6 USD/kWh",
            "num": 7}  # fmt: skip
    doc = _doc(VEHICLES, POWER, prices, shares, fast)
    kept = nevcalc.sweep(doc, chunk_rows=1024, summary=True)
    streamed = nevcalc.sweep(doc, chunk_rows=1024, summary=True, stream=True, workers=1)
    assert kept.summary == streamed.summary


@pytest.mark.parametrize("kind", ["crossed", "random"])
def test_blocks_side_by_side_write_the_same_chunk(monkeypatch, kind):
    """A chunk whose blocks are evaluated by several threads, into the arrays of the
    chunk before, is the chunk evaluated block after block, bit for bit, runs included."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from nevcalc.sweeps import evaluate as ev
    from nevcalc.sweeps.plan import plan_from_dict
    from tests.sweeps.test_evaluate import CROSSED

    monkeypatch.setattr(ev, "BLOCK_ROWS", 256)  # many blocks in a chunk
    monkeypatch.setattr(ev, "BLOCK_ROWS_CROSSED", 1024)
    prep = ev.prepare(plan_from_dict(CROSSED if kind == "crossed" else _mc_doc()), 2048)
    alone = [ev.evaluate_chunk(prep, k) for k in range(prep.chunks)]
    with ThreadPoolExecutor(3) as pool:
        prep.pool = pool
        into = {}
        for k, want in enumerate(alone):
            got = ev.evaluate_chunk(prep, k, into)
            assert list(got) == list(want) and got.runs == want.runs
            for name, x in want.items():
                assert x.dtype == got[name].dtype, name
                assert np.array_equal(x.view(np.uint8), got[name].view(np.uint8)), (k, name)
            into = {c: x if x.base is None else x.base for c, x in got.items()}


def test_a_sweep_whose_chunks_are_let_go_shares_each_chunk_and_reuses_its_arrays(monkeypatch):
    """Evaluated and let go (no file, summary or rows kept), a sweep evaluates one chunk
    at a time with its blocks side by side, each written into the arrays of the chunk
    before; with a summary, chunks are evaluated ahead, whole, one per thread."""
    from nevcalc.sweeps import engine
    from nevcalc.sweeps import evaluate as ev

    monkeypatch.setattr(ev, "BLOCK_ROWS", 256)
    calls = []
    real = engine.evaluate_chunk

    def spy(prep, chunk, into=None):
        calls.append((prep.pool is not None, bool(into)))
        return real(prep, chunk, into)

    monkeypatch.setattr(engine, "evaluate_chunk", spy)
    res = nevcalc.sweep(_mc_doc(), stream=True, chunk_rows=1024, workers=2)
    assert res.scenarios == res.plan.rows == 18_000 and len(calls) == res.chunks == 18
    assert all(shared for shared, _ in calls) and all(reused for _, reused in calls[1:])
    calls.clear()
    nevcalc.sweep(_mc_doc(), stream=True, summary=True, chunk_rows=1024, workers=2)
    assert calls and not any(shared for shared, _ in calls)


def test_a_sweep_result_prints_one_line_and_a_table():
    from tests.helpers import check_escaped, check_html, check_repr

    doc = _doc(POWER)
    doc["title"] = "<power & time>"
    res = nevcalc.sweep(doc)
    check_repr(res, "SweepResult", "3 rows in", "columns kept")
    check_html(res, "charge_10_80 [min]", "kept in memory", "rows/s")
    check_escaped(res, "<power & time>")
