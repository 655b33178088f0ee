"""The root of the core's error hierarchy. Each carries a stable ``code`` for front ends."""


class HearthError(Exception):
    """Base of every error the core raises on purpose.

    ``code`` is stable (front ends and scripts match on it); the text is for people.
    """

    code = "error"
