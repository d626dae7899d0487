"""The store's errors, all :class:`~redline.errors.RedlineError` subclasses.

    StoreError                   base: the event database cannot be used as asked
    ├── MissingDatabaseError     no database file at the path given
    └── SchemaVersionError       the file was written by a newer redline (or is not ours)

Messages name the database file and say what to do.
"""

from __future__ import annotations

from redline.errors import RedlineError


class StoreError(RedlineError):
    """The event database cannot be opened, read or written as asked."""


class MissingDatabaseError(StoreError):
    """There is no database at the path given."""


class SchemaVersionError(StoreError):
    """The database's schema is newer than this redline knows, or not a redline schema."""
