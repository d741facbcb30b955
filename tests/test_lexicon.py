import gc

import pytest

from relations.lexicon import _collector_paused, _places


def test_places_are_capitals_and_large_cities():
    places = dict(_places())
    assert places["Vaduz"] == "LIE"  # a capital, however small
    assert places["Shanghai"] == "CHN"  # a city of millions
    assert places["Kingston"] == "JAM"  # the most populous of its namesakes
    assert places["Hanoï"] == "VNM"  # another language's spelling
    assert "Lyon" not in places  # neither a capital nor large enough


@pytest.mark.parametrize("enabled", [True, False])
def test_building_leaves_the_collector_as_it_was(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(ValueError), _collector_paused():
            assert not gc.isenabled()
            raise ValueError
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()
