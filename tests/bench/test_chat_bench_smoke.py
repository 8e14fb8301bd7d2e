"""The chat benchmark, tiny: a few clients for a second or so against all four servers (product, tutorial baseline,
daphne ceiling, bare floor) on the in-memory layer. It must produce the table and lose nothing. No timing assertions."""

from __future__ import annotations

import json

from bench import chat_bench


def test_a_tiny_run_measures_all_four_servers_and_loses_nothing(tmp_path, capsys):
    out = tmp_path / "results.json"
    code = chat_bench.main(
        [
            "--layers", "memory", "--idle-clients", "4", "--clients", "4", "--senders", "2",
            "--fixed-rate", "40", "--seconds", "1", "--step-seconds", "1", "--ramp", "40",
            "--no-write", "--out", str(out),
        ]
    )  # fmt: skip

    assert code == 0
    printed = capsys.readouterr().out
    assert "| Server | Saturated deliveries/s |" in printed
    for name in ("product", "baseline", "ceiling", "floor"):
        assert f"| {name} |" in printed
    results = json.loads(out.read_text())["In-memory channel layer, SQLite"]
    for name in ("product", "baseline", "ceiling", "floor"):
        fixed = results[name]["fixed"]
        assert fixed["sent"] > 0
        assert fixed["delivered"] == fixed["expected"] == fixed["sent"] * 4, name
        assert results[name]["lost_total"] == 0, name
        assert fixed["duplicates"] == 0, name
        assert results[name]["idle_clients"] == 4


def test_the_chat_section_goes_inside_the_kept_notes_and_is_replaced_next_time():
    document = "# Benchmarks: events\n\ntables\n<!-- notes: kept -->\nnotes\n<!-- /notes -->\n"
    first = chat_bench.write_doc(f"{chat_bench.CHAT_START}\nfirst\n{chat_bench.CHAT_END}", document)
    assert first.index("first") < first.index("<!-- /notes -->")
    assert first.startswith("# Benchmarks: events\n\ntables\n<!-- notes: kept -->\nnotes\n")

    second = chat_bench.write_doc(f"{chat_bench.CHAT_START}\nsecond\n{chat_bench.CHAT_END}", first)
    assert "first" not in second
    assert second.count(chat_bench.CHAT_START) == 1
    assert second.index("second") < second.index("<!-- /notes -->")


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert chat_bench.percentile(values, 0.5) == 50.0
    assert chat_bench.percentile(values, 0.99) == 99.0
    assert chat_bench.percentile([], 0.99) == 0.0
