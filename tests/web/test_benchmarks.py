"""Speed of the page's answers, measured with pytest-benchmark (``--benchmark-enable``)."""

from __future__ import annotations

import itertools

import pytest

pytest.importorskip("starlette", reason="the web extra: pip install 'nevcalc[web]'")

from starlette.testclient import TestClient

from nevcalc.cli import json_document, problem
from nevcalc.web.app import create_app


def test_bench_charge_view_interaction(benchmark):
    """One control change of the charge view: its JSON request, a new charger each time
    (floor: median 100 ms)."""
    client = TestClient(create_app(json_document, problem))
    chargers = itertools.cycle(["ionity-350", "ccs-50kw", "tesla-v3", "byd-megawatt"])
    client.get("/api/charge?vehicle=kia-ev6-77&charger=ionity-350")  # loads the specs once

    def one():
        url = (f"/api/charge?vehicle=kia-ev6-77&charger={next(chargers)}&from=10%25&to=80%25"
               "&minutes=10&ambient=-10degC&precondition=none")  # fmt: skip
        res = client.get(url)
        assert res.status_code == 200
        return res

    res = benchmark.pedantic(one, rounds=20, iterations=1)
    assert res.json()["curve"]["power"]["values"]
    if not benchmark.disabled:
        assert benchmark.stats.stats.median <= 0.100
