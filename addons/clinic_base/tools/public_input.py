"""What a stranger's URL may name (SPEC R3, issue 11.8). Pure functions, no ORM."""

# Longer than any token or code we hand out (256-bit tokens are 43 characters).
MAX_KEY_LENGTH = 128


def usable_key(value, max_length=MAX_KEY_LENGTH):
    """True when ``value`` can be a token or code from a URL: a non-empty string of at
    most ``max_length`` printable characters.

    Anything else names nothing and is answered like an unknown key, before it
    reaches the database (PostgreSQL refuses NUL characters in text with an error).
    """
    return isinstance(value, str) and 0 < len(value) <= max_length and value.isprintable()
