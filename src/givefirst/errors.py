"""Errors a person can act on. The CLI prints their message on one line and exits non-zero."""

from __future__ import annotations


class GivefirstError(Exception):
    """Base of every error givefirst reports to its user."""

    exit_code = 1


class InvalidInputError(GivefirstError):
    """A value the user gave is not valid (an email, a date, a kind...)."""

    exit_code = 2


class NotFoundError(GivefirstError):
    """Nothing matches what the user named (a person, an item, an id)."""


class AmbiguousError(GivefirstError):
    """A name matches several people; the message lists them with their ids."""


class DatabaseError(GivefirstError):
    """The database cannot be opened or used (missing directory, not a givefirst database...)."""


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer givefirst than this one."""
