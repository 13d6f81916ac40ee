import pytest

from cmio_desktop.analysis.grids import (
    GridSettings,
    Quadrant,
    Salience,
    attitude_gap,
    grid_cell_counts,
    quadrant,
    salience_class,
)
from cmio_desktop.enums import Attitude


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (4, 4, Quadrant.KEY_PLAYER),  # both exactly at the high edge
        (5, 5, Quadrant.KEY_PLAYER),
        (4, 3, Quadrant.KEEP_SATISFIED),  # interest one below the edge
        (5, 1, Quadrant.KEEP_SATISFIED),
        (3, 4, Quadrant.KEEP_INFORMED),  # power one below the edge
        (1, 5, Quadrant.KEEP_INFORMED),
        (3, 3, Quadrant.MONITOR),  # both just below the edge
        (1, 1, Quadrant.MONITOR),
    ],
)
def test_quadrant_at_threshold_edges(power, interest, expected):
    assert quadrant(power, interest) is expected


def test_quadrant_threshold_is_a_setting():
    assert quadrant(3, 3, GridSettings(high_threshold=3)) is Quadrant.KEY_PLAYER
    assert quadrant(4, 4, GridSettings(high_threshold=5)) is Quadrant.MONITOR


def test_quadrant_texts():
    assert Quadrant.KEY_PLAYER.label == "Key player"
    assert Quadrant.KEY_PLAYER.strategy == "Manage closely"
    assert Quadrant.KEY_PLAYER.title == "Key player — manage closely"
    assert all(q.label and q.strategy for q in Quadrant)


@pytest.mark.parametrize("bad", [(0, 3), (3, 6)])
def test_quadrant_rejects_scores_off_the_scale(bad):
    with pytest.raises(ValueError):
        quadrant(*bad)


def test_grid_settings_validated():
    with pytest.raises(ValueError):
        GridSettings(high_threshold=1)


@pytest.mark.parametrize(
    ("p", "l", "u", "expected"),
    [
        (True, True, True, Salience.DEFINITIVE),
        (True, True, False, Salience.DOMINANT),
        (True, False, True, Salience.DANGEROUS),
        (False, True, True, Salience.DEPENDENT),
        (True, False, False, Salience.DORMANT),
        (False, True, False, Salience.DISCRETIONARY),
        (False, False, True, Salience.DEMANDING),
        (False, False, False, None),
    ],
)
def test_every_salience_class(p, l, u, expected):  # noqa: E741
    assert salience_class(p, l, u) is expected


def test_attitude_gap_counts_seam_steps():
    assert attitude_gap(Attitude.RESISTANT, Attitude.SUPPORTIVE) == 2
    assert attitude_gap(Attitude.UNAWARE, Attitude.LEADING) == 4
    assert attitude_gap(Attitude.LEADING, Attitude.NEUTRAL) == -2
    assert attitude_gap(Attitude.NEUTRAL, Attitude.NEUTRAL) == 0


def test_grid_cell_counts():
    counts = grid_cell_counts([(5, 5), (5, 5), (1, 2)])
    assert counts[4][4] == 2
    assert counts[0][1] == 1
    assert sum(map(sum, counts)) == 3
