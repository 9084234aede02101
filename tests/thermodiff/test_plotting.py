import matplotlib.pyplot as plt
import pytest

from thermodiff import plotting


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_mark_critical_draws_one_dotted_vertical_line(ax):
    line = plotting.mark_critical(ax, 2.5, "T_c")
    assert list(line.get_xdata()) == [2.5, 2.5]
    assert line.get_linestyle() == ":" and line.get_label() == "T_c"
    assert line.get_linewidth() == plotting.CRITICAL_STYLE["linewidth"]


def test_mark_guide_is_horizontal_by_default_and_overrides_only_what_is_given(ax):
    line = plotting.mark_guide(ax, 1.0, linestyle="--")
    assert list(line.get_ydata()) == [1.0, 1.0]
    assert line.get_linestyle() == "--"
    assert line.get_linewidth() == plotting.GUIDE_STYLE["linewidth"]
    horizontal = plotting.mark_critical(ax, 0.5, axis="y", color="C1")
    assert list(horizontal.get_ydata()) == [0.5, 0.5]
    with pytest.raises(ValueError, match="axis"):
        plotting.mark_guide(ax, 1.0, axis="z")
