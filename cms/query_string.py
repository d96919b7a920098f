"""What a well-formed query string is, for every surface that reads one (the API, the feeds).

Python accepts values the databases refuse: NUL in text (PostgreSQL),
integers beyond 64 bits, digits ``str.isdigit`` takes but ``int`` does not
("²"). Such values are refused here, before any query runs, with a short
message: malformed input is a 400, never a 500.
"""

import re

#: The largest integer both databases take (PostgreSQL bigint, SQLite INTEGER).
MAX_INTEGER = 2**63 - 1

#: C0 controls and DEL: no name, slug, path, date or search term contains them.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f]")


class MalformedQuery(ValueError):
    """A query parameter no database query may see; its text says why."""


def check_text(name, value):
    if CONTROL_CHARACTERS.search(value):
        raise MalformedQuery(f"{name} must not contain control characters")


def check_query(query):
    """Refuse control characters in any parameter of ``query`` (a QueryDict)."""
    for name, values in query.lists():
        check_text("a parameter name", name)
        for value in values:
            check_text(name, value)


def whole_number(name, value, minimum=0, maximum=MAX_INTEGER):
    """``value`` as an int within [minimum, maximum], written in ASCII digits."""
    if not (value.isascii() and value.isdigit()):
        raise MalformedQuery(f"{name} must be a whole number")
    number = int(value)
    if not minimum <= number <= maximum:
        raise MalformedQuery(f"{name} must be from {minimum} to {maximum}")
    return number
