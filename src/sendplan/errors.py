"""The one exception a user may see: sendplan cannot proceed (exit 2)."""


class SendplanError(Exception):
    """Cannot proceed: no plan found, a bad option value, an unknown revision.

    The message says what happened and what to do. Bad *content* in plan files is never
    raised: it becomes a Finding.
    """
