"""redline's exceptions, translated into messages only at the edges (CLI, HTTP).

    RedlineError                 base: everything redline raises on purpose
    ├── ConfigError              a bad setting or pipeline config (unknown key, stage order)
    ├── ModelError               the offline spaCy model is missing or cannot load
    ├── KnowledgeBaseError       a data file inside the package is malformed
    └── InputError               one input cannot be read; carries ``source`` (file, line)
        ├── EmptyInputError      nothing to code (empty file, blank text)
        ├── BinaryInputError     not text (NUL bytes, an image, an archive)
        ├── EncodingError        not valid UTF-8
        ├── TooLargeError        over the size limit for one article
        └── FormatError          a malformed JSONL line, a CSV without a ``text`` column, ...
    StoreError                   (in redline.store.errors, a RedlineError too)
        ├── MissingDatabaseError no database file at the path given
        └── SchemaVersionError   written by a newer redline, or not a redline database

Messages say what is wrong and how to fix it, and name the input.
"""

from __future__ import annotations


class RedlineError(Exception):
    """Base class for errors redline raises on purpose."""


class ConfigError(RedlineError):
    """A setting or the pipeline configuration is invalid."""


class ModelError(RedlineError):
    """The offline NLP model cannot be found or loaded."""


class KnowledgeBaseError(RedlineError):
    """A knowledge file inside the package is malformed."""


class InputError(RedlineError):
    """One input cannot be coded. ``source`` names it: a path, ``path:line`` or ``<stdin>``."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class EncodingError(InputError):
    pass


class TooLargeError(InputError):
    pass


class FormatError(InputError):
    pass


class OutputError(RedlineError):
    """The output file cannot be written (a full disk, say); the message names it."""
