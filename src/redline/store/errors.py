"""The store's errors, re-exported from :mod:`redline.errors` (where the whole tree lives).

    StoreError                   the event database cannot be used as asked
    ├── StoreInputError          a bad filter, limit or option (the caller's fault, HTTP 422)
    └── DatabaseError            the file's fault (HTTP 503)
        ├── MissingDatabaseError no database file at the path given
        ├── SchemaVersionError   the file was written by a newer redline (or is not ours)
        └── QueryTimeout         a query ran past its time limit

Messages name the database file and say what to do.
"""

from __future__ import annotations

from redline.errors import (
    DatabaseError,
    MissingDatabaseError,
    QueryTimeout,
    SchemaVersionError,
    StoreError,
    StoreInputError,
)

__all__ = ["DatabaseError", "MissingDatabaseError", "QueryTimeout", "SchemaVersionError",
           "StoreError", "StoreInputError"]
