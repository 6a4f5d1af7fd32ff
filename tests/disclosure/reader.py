"""What a reader who sees a published figure can say of the true count behind it: the brute-force readers of both
suppression tests (one level and grouped) read figures the same way."""

from disclosure.suppression import PRIMARY


def values_behind(figure, cap: int):
    """Every count the figure may stand for: itself when shown, 0-4 behind "fewer than 5", and 5 up to ``cap``
    behind a secondary "hidden" (enough to find any table one unit away)."""
    if figure.shown:
        return [figure.count]
    return range(0, 5) if figure.hidden == PRIMARY else range(5, cap + 1)


def could_be(figure, value: int) -> bool:
    """Whether a reader who sees the figure could believe ``value`` is the count behind it."""
    if figure.shown:
        return figure.count == value
    return 0 <= value <= 4 if figure.hidden == PRIMARY else value >= 5
