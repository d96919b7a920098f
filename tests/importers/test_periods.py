"""Milestone periods → first and last month."""

from __future__ import annotations

import pytest

from importers.extract.milestones import heading_match
from importers.extract.periods import parse_period


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("Start - June 2005", "2005-01", "2005-06"),
        ("(Start - June 2005)", "2005-01", "2005-06"),
        ("Start - June2005", "2005-01", "2005-06"),
        ("July - December 2005", "2005-07", "2005-12"),
        ("January - June 2006", "2006-01", "2006-06"),
        ("January – June 2006", "2006-01", "2006-06"),
        ("November - March 2006", "2005-11", "2006-03"),
        ("July 2005 - June 2006", "2005-07", "2006-06"),
        ("Jan - Jun 2007", "2007-01", "2007-06"),
        ("7/2005 - 12/2005", "2005-07", "2005-12"),
        ("June 2007", "2007-06", "2007-06"),
        ("2006", "2006-01", "2006-12"),
        ("July - December", None, None),
        ("Start - June", None, None),
        ("soon", None, None),
        ("", None, None),
        (None, None, None),
        ("Fooember - June 2005", None, None),
    ],
)
def test_parse_period(text, start, end):
    assert parse_period(text) == (start, end)


def test_start_is_the_project_start_parameter():
    assert parse_period("Start - June 2005", project_start="2004-11") == ("2004-11", "2005-06")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Milestone 1 (Start - June 2005)", (1, "Start - June 2005")),
        ("Milestone 1 (Start - June 2005) ", (1, "Start - June 2005")),
        ("Milestone 12 (July - December 2007):", (12, "July - December 2007")),
        ("Milestone 2", (2, None)),
        ("MILESTONE 3 (January - June 2006)", (3, "January - June 2006")),
        ("Milestone 1 was reached in June", None),
        ("The milestone 1 (Start)", None),
    ],
)
def test_heading_match(text, expected):
    assert heading_match(text) == expected
