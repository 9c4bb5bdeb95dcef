import datetime

import pytest

from tracker.partial_dates import PartialDate


@pytest.mark.parametrize(
    ("text", "value", "precision", "shown"),
    [
        ("1951", datetime.date(1951, 1, 1), "year", "1951"),
        ("2023-07", datetime.date(2023, 7, 1), "month", "Jul 2023"),
        ("2023-07-20", datetime.date(2023, 7, 20), "day", "20 Jul 2023"),
    ],
)
def test_dates_keep_their_precision(text, value, precision, shown):
    partial = PartialDate.parse(text)
    assert (partial.value, partial.precision, partial.iso(), partial.display()) == (value, precision, text, shown)


@pytest.mark.parametrize("text", ["July 2023", "2023-13", "2023-02-30", "", "23-07"])
def test_malformed_dates_are_refused_with_a_readable_message(text):
    with pytest.raises(ValueError, match=r"YYYY|calendar"):
        PartialDate.parse(text)


def test_ordering_never_invents_precision():
    july = PartialDate.parse("2023-07")
    assert PartialDate.parse("2023-06-30").surely_before(july)
    assert not PartialDate.parse("2023-07-15").surely_before(july)
    assert not PartialDate.parse("2023").surely_before(july)
    assert july.overlaps(PartialDate.parse("2023"))
