"""redline's exceptions, all in one tree, translated into messages only at the edges (CLI, HTTP).

Each class carries the HTTP ``status`` and the short, stable ``code`` the web app answers with
when it reaches a request (one handler, :func:`redline.web.errors.install`, reads them); the
CLI prints the message. Subclasses inherit both unless they say otherwise.

    RedlineError                 500 internal_error       base: everything redline raises on purpose
    ├── ConfigError              500 config_error         a bad setting or pipeline config
    ├── ModelError               503 model_unavailable    the offline spaCy model is missing
    ├── KnowledgeBaseError       500 knowledge_base_error a packaged data file is malformed
    ├── InputError               422 bad_input            one input cannot be read; ``source``
    │   ├── EmptyInputError      422 empty_input          nothing to code (empty file, blank text)
    │   ├── BinaryInputError     422 binary_input         not text (NUL bytes, an image, ...)
    │   ├── EncodingError        422 bad_encoding         not valid UTF-8
    │   ├── TooLargeError        413 too_large            over the size limit for one article
    │   ├── FormatError          422 bad_format           a malformed JSONL line, CSV, ...
    │   └── CodingError          422 coding_failed        one article broke a stage
    │       └── TimeLimitError   422 time_limit           one article ran past the time limit
    ├── OutputError              500 cannot_write_output  the output file cannot be written
    ├── BadParameter             422 bad_parameter        a request parameter that cannot be used
    ├── HostNotAllowed           400 host_not_allowed     a Host header the server does not serve
    ├── NotFound                 404 not_found            the thing asked for is not stored
    ├── StoreError               503 database_unusable    the event database cannot be used as asked
    │   ├── StoreInputError      422 bad_parameter        a bad filter, limit or option (the
    │   │                                                 caller's fault; also a BadParameter)
    │   └── DatabaseError        503 database_unusable    the file's fault: damaged, locked, ...
    │       ├── MissingDatabaseError 503 database_missing no database file at the path given
    │       ├── SchemaVersionError   503 database_version newer redline, or not a redline database
    │       └── QueryTimeout         503 query_timeout    a query ran past its time limit
    ├── RuleError                422 bad_rule             a watchlist rule file that cannot be used
    ├── FeedError                502 feed_unreadable      one feed cannot be read this poll
    ├── PlotError                422 cannot_plot          a plot that cannot be drawn or written
    └── DeliveryError            502 delivery_failed      an alert did not reach a sink

``redline.store.errors``, ``redline.web.data`` and the monitor modules re-export the classes
they raise under their old names. Messages say what is wrong and how to fix it, and name the
input.
"""

from __future__ import annotations

from typing import ClassVar


class RedlineError(Exception):
    """Base class for errors redline raises on purpose."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    headers: ClassVar[dict[str, str]] = {}
    """Extra HTTP headers for the error response (e.g. ``Retry-After``)."""


class ConfigError(RedlineError):
    """A setting or the pipeline configuration is invalid."""

    code = "config_error"


class ModelError(RedlineError):
    """The offline NLP model cannot be found or loaded."""

    status, code = 503, "model_unavailable"


class KnowledgeBaseError(RedlineError):
    """A knowledge file inside the package is malformed."""

    code = "knowledge_base_error"


class InputError(RedlineError):
    """One input cannot be coded. ``source`` names it: a path, ``path:line`` or ``<stdin>``."""

    status, code = 422, "bad_input"

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class EmptyInputError(InputError):
    """Nothing to code: an empty file or blank text."""

    code = "empty_input"


class BinaryInputError(InputError):
    """Not text: NUL bytes, an image, an archive."""

    code = "binary_input"


class EncodingError(InputError):
    """Not valid UTF-8."""

    code = "bad_encoding"


class TooLargeError(InputError):
    """Over the size limit for one article."""

    status, code = 413, "too_large"


class FormatError(InputError):
    """A malformed JSONL line, a CSV without a ``text`` column, ..."""

    code = "bad_format"


class CodingError(InputError):
    """One article broke a pipeline stage; the other articles are still coded."""

    code = "coding_failed"


class TimeLimitError(CodingError):
    """One article took longer than the per-article time limit ([pipeline] time_limit)."""

    code = "time_limit"


class OutputError(RedlineError):
    """The output file cannot be written (a full disk, say); the message names it."""

    code = "cannot_write_output"


class BadParameter(RedlineError):
    """A request parameter that cannot be used; ``param`` names it when known."""

    status, code = 422, "bad_parameter"

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class HostNotAllowed(RedlineError):
    """An HTTP request whose ``Host`` header names a host the server does not serve."""

    status, code = 400, "host_not_allowed"


class NotFound(RedlineError):
    """The thing asked for is not stored."""

    status, code = 404, "not_found"


class StoreError(RedlineError):
    """The event database cannot be opened, read or written as asked."""

    status, code = 503, "database_unusable"


class StoreInputError(StoreError, BadParameter):
    """A store function was given a bad filter, limit or option: the caller's fault."""

    status, code = 422, "bad_parameter"


class DatabaseError(StoreError):
    """The database file cannot be used: damaged, locked, unreadable, not a database."""


class MissingDatabaseError(DatabaseError):
    """There is no database at the path given."""

    code = "database_missing"


class SchemaVersionError(DatabaseError):
    """The database's schema is newer than this redline knows, or not a redline schema."""

    code = "database_version"


class QueryTimeout(DatabaseError):
    """A query ran past the time limit and was stopped."""

    code = "query_timeout"
    headers = {"Retry-After": "5"}


class RuleError(RedlineError):
    """A watchlist rule file that cannot be used."""

    status, code = 422, "bad_rule"


class FeedError(RedlineError):
    """One feed cannot be read this poll."""

    status, code = 502, "feed_unreadable"

    def __init__(self, feed: str, message: str) -> None:
        super().__init__(f"{feed}: {message}")
        self.feed = feed


class PlotError(RedlineError):
    """The plot cannot be drawn or written."""

    status, code = 422, "cannot_plot"


class DeliveryError(RedlineError):
    """An alert did not reach a sink (a webhook refused it, failed or timed out)."""

    status, code = 502, "delivery_failed"
