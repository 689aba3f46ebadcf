"""The exceptions a user may see: cannot proceed (exit 2), and a refused write (exit 1)."""


class SendplanError(Exception):
    """Cannot proceed: no plan found, a bad option value, an unknown revision.

    The message says what happened and what to do. Bad *content* in plan files is never
    raised: it becomes a Finding.
    """


class Refusal(Exception):
    """A writing command understood the request but will not do it (exit 1); nothing changed.

    The message says why (an unknown objective, a date not after the last rating, a file that
    already exists, a folder that is not empty) and what to do instead.
    """
