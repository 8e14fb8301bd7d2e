"""Server-drawn SVG charts: escaped text, gaps for missing values, axis labels and a text alternative in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from community.charts import Series, bar_chart, format_number, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _tree(chart):
    return ET.fromstring(str(chart.svg))


def _texts(chart) -> list[str]:
    return [element.text or "" for element in _tree(chart).iter(f"{SVG}text")]


def wellbeing_chart(**overrides):
    arguments = {
        "title": "My wellbeing",
        "series": [Series("Wellbeing score", [(date(2026, 1, 5), 19.25), (date(2026, 3, 2), 23.21)])],
        "y_min": 7,
        "y_max": 35,
        "y_label": "Score",
    }
    arguments.update(overrides)
    return line_chart(**arguments)


def test_line_chart_is_a_labelled_image_with_title_and_description():
    chart = wellbeing_chart()
    root = _tree(chart)
    assert isinstance(chart.svg, SafeString)
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "My wellbeing"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert desc.text == chart.text


def test_a_label_with_a_script_tag_is_inert_everywhere_in_the_svg():
    nasty = '<script>alert("x")</script>'
    chart = wellbeing_chart(title=nasty, y_label=nasty, series=[Series(nasty, [(nasty, 3), ("b", 4)])])
    assert "<script" not in str(chart.svg)
    assert "&lt;script&gt;" in str(chart.svg)
    root = _tree(chart)  # still well-formed XML
    assert root.find(f"{SVG}title").text == nasty
    bars = bar_chart(title=nasty, bars=[(nasty, 3), ("other", None)], y_label=nasty)
    assert "<script" not in str(bars.svg)
    _tree(bars)


def test_the_template_include_escapes_the_text_and_table_too():
    nasty = "<script>alert(1)</script>"
    chart = bar_chart(title=nasty, bars=[(nasty, 12)], y_label="People")
    html = render_to_string("community/_chart.html", {"chart": chart})
    assert "<script>" not in html
    assert "<table" in html and "<caption" in html
    assert html.count("&lt;script&gt;") >= 3


def test_axis_labels_ticks_and_dates_are_written_on_the_chart():
    texts = _texts(wellbeing_chart())
    assert "Score" in texts
    assert "Date" in texts
    assert "5 Jan 2026" in texts and "2 Mar 2026" in texts
    assert {"10", "15", "20", "25", "30", "35"} <= set(texts)


def test_a_none_in_a_line_breaks_the_line_and_shows_as_a_dash_in_the_table():
    chart = line_chart(
        title="Calm",
        series=[Series("Anxiety", [("Jan", 4), ("Feb", None), ("Mar", 2), ("Apr", 3)])],
        y_min=0,
        y_max=10,
        y_label="Answer",
        x_label="Month",
    )
    path = _tree(chart).find(f".//{SVG}g[@class='chart-series']/{SVG}path").get("d")
    assert path.count("M") == 2  # two pieces: Jan alone is a marker, then Mar-Apr
    assert chart.rows == [["Jan", "4"], ["Feb", "–"], ["Mar", "2"], ["Apr", "3"]]
    assert chart.headers == ["Month", "Anxiety"]


def test_bar_chart_draws_a_suppressed_cell_as_a_labelled_gap():
    chart = bar_chart(title="Attendance", bars=[("Sport", 14), ("Art", None), ("Food", 22)], y_label="People")
    root = _tree(chart)
    gap = root.find(f".//{SVG}g[@class='chart-suppressed']")
    assert gap is not None
    assert gap.find(f"{SVG}text").text == "c"
    assert chart.rows == [["Sport", "14"], ["Art", "c"], ["Food", "22"]]
    assert "Art: not shown (c, too few people to show)." in chart.text
    assert "Sport: 14." in chart.text
    filled = [rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == "#5b2a86"]
    assert len(filled) == 2


def test_text_alternative_says_first_latest_lowest_and_highest_in_words():
    chart = line_chart(
        title="My wellbeing",
        series=[
            Series("Wellbeing score", [(date(2026, 1, 5), 19.25), (date(2026, 2, 2), 17.43), (date(2026, 3, 2), 23.21)])
        ],
        y_min=7,
        y_max=35,
        y_label="Score",
        band=(16.25, 22.25),
        band_label="within 3 points of your first score",
    )
    assert chart.text.startswith("My wellbeing. Score, on a scale from 7 to 35.")
    assert "A shaded band (within 3 points of your first score) runs from 16.25 to 22.25." in chart.text
    assert (
        "Wellbeing score: 3 answers from 5 Jan 2026 to 2 Mar 2026. "
        "First 19.25, latest 23.21; lowest 17.43, highest 23.21." in chart.text
    )
    assert "within 3 points of your first score" in _texts(chart)
    assert "good" not in chart.text.lower() and "bad" not in chart.text.lower()


def test_series_differ_by_marker_and_line_pattern_not_only_colour():
    chart = line_chart(
        title="Four questions",
        series=[Series(name, [("a", 1), ("b", 2)]) for name in ("One", "Two", "Three", "Four")],
        y_min=0,
        y_max=10,
        y_label="Answer",
    )
    groups = list(_tree(chart).iter(f"{SVG}g"))
    dashes = {group.find(f"{SVG}path").get("stroke-dasharray") for group in groups}
    assert len(dashes) == 4
    shapes = {group.get("data-marker") for group in groups}
    assert len(shapes) == 4


def test_an_empty_chart_says_there_is_nothing_yet():
    chart = wellbeing_chart(series=[Series("Wellbeing score", [])])
    assert "There is nothing to show yet." in chart.text
    assert chart.rows == []
    html = render_to_string("community/_chart.html", {"chart": chart})
    assert "Nothing here yet." in html


def test_two_different_charts_on_one_page_have_different_ids():
    first, second = wellbeing_chart(), wellbeing_chart(title="Another")
    assert first.chart_id != second.chart_id
    ids = re.findall(r'id="([^"]+)"', str(first.svg) + str(second.svg))
    assert len(ids) == len(set(ids))


def test_format_number_drops_needless_zeros():
    assert format_number(7.0) == "7"
    assert format_number(23.5) == "23.5"
    assert format_number(20.731) == "20.73"
    assert format_number(None, "c") == "c"
