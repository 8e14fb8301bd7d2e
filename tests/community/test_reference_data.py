"""The project's copy of the reference data matches the shared originals byte for byte."""

from pathlib import Path

import pytest

from community import reference

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference"
FILES = sorted(p.name for p in reference.DATA_DIR.glob("*.csv"))


def test_every_shared_reference_file_has_a_project_copy():
    if not SHARED.is_dir():
        pytest.fail(f"The shared reference folder is missing at {SHARED}")
    assert sorted(p.name for p in SHARED.glob("*.csv")) == FILES


@pytest.mark.parametrize("name", FILES)
def test_project_copy_matches_the_shared_file(name):
    assert (reference.DATA_DIR / name).read_bytes() == (SHARED / name).read_bytes()


def test_positive_destinations_are_the_eight_published_areas():
    areas = reference.positive_destinations()
    assert len(areas) == 8
    assert areas[0] == ("family", "Looking after your family")


def test_swemwbs_conversion_covers_every_raw_total():
    scores = reference.swemwbs_metric_scores()
    assert sorted(scores) == list(range(7, 36))
    assert str(scores[7]) == "7.00"
