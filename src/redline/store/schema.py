"""The event database's schema: every table, index and view, as numbered migrations.

This module is the only place that says what the database looks like. Each migration runs in
its own transaction together with its row in ``schema_migrations``, so a database is always at
exactly one version; a database from an older redline is brought up to date when it is opened
for writing or reading, and one from a newer redline is refused (see :func:`migrate`).

Tables (one row per ...), all keyed by the article's own id so that plain ``sqlite3`` reads well:

* ``articles``: stored article, with its text and the sha256 of its normalised text
  (``content_hash``, unique: the same content is never stored twice);
* ``sentences``: sentence, as character offsets into ``articles.text``;
* ``actors``: actor mention, resolved (code, country, sector, name) or not;
* ``events``: coded event, flattened: CAMEO/PLOVER codes, source/target/reporting actors,
  evidence span, modality, the event's own date, place, confidence and the coding rule;
  ``joint_with`` (JSON) names a joint act's partners; ``model_scores`` (JSON) the learned
  type model's scores (``type``, ``quad``, ``none``, ``proposed``; see redline.learn.typer).
  ``event_id`` is never reused (GDELT's GLOBALEVENTID); ``(article_id, event_index)`` is unique;
* ``quotes``: quotation with speaker, cue and content spans;
* ``places``: distinct place named as an event location in the article;
* ``runs``: ingest run (started, finished, inputs, counts);
* ``failures``: input that could not be read or coded (source, line, reason, run);
* ``monitor_watch_state``: ``redline watch`` state (its name), with the highest event seen;
* ``monitor_alerts``: alert ``redline watch`` fired (see redline.monitor.watch);
* ``monitor_deliveries``: an alert's delivery to one sink (terminal, JSONL file, webhook):
  delivered or still to be retried;
* ``schema_migrations``: applied migration.

Offsets are ``*_start``/``*_end`` character offsets into ``articles.text`` (``end`` is a
reserved word in SQL, hence the prefixes). Dates are ISO ``YYYY-MM-DD`` text.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass

from redline.store.errors import SchemaVersionError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def _actor_columns(prefix: str) -> str:
    return ",\n    ".join(
        f"{prefix}_{col}"
        for col in ("code TEXT", "country TEXT", "sector TEXT", "name TEXT", "text TEXT",
                    "kind TEXT", "start INTEGER", "end INTEGER")
    )


_V1 = (
    """CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',  -- finished, failed, interrupted; killed: running
    inputs TEXT NOT NULL,                    -- JSON list of the paths given
    workers INTEGER,
    redline_version TEXT,
    articles_read INTEGER NOT NULL DEFAULT 0,
    articles_added INTEGER NOT NULL DEFAULT 0,
    articles_replaced INTEGER NOT NULL DEFAULT 0,
    articles_skipped INTEGER NOT NULL DEFAULT 0,
    events_added INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,       -- sha256 of the NFC, whitespace-collapsed text
    date TEXT,
    title TEXT,
    source TEXT,
    url TEXT,
    text TEXT NOT NULL,
    notes TEXT,                              -- JSON list of warnings, or NULL
    input TEXT,                              -- the path the article was read from
    run_id INTEGER REFERENCES runs(run_id),
    coded_at TEXT NOT NULL
)""",
    "CREATE INDEX articles_date ON articles(date)",
    """CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_index INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    PRIMARY KEY (article_id, sentence_index)
) WITHOUT ROWID""",
    """CREATE TABLE actors (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    actor_index INTEGER NOT NULL,
    text TEXT NOT NULL,
    actor_start INTEGER NOT NULL,
    actor_end INTEGER NOT NULL,
    code TEXT,
    country TEXT,
    sector TEXT,
    name TEXT,
    kind TEXT,
    role TEXT,
    affiliation_code TEXT,
    resolved_by TEXT,
    confidence REAL,
    sentence_index INTEGER,
    PRIMARY KEY (article_id, actor_index)
) WITHOUT ROWID""",
    "CREATE INDEX actors_code ON actors(code)",
    "CREATE INDEX actors_country ON actors(country)",
    f"""CREATE TABLE events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    event_index INTEGER NOT NULL,            -- 0, 1, ... in the article's order
    event_key TEXT NOT NULL,                 -- the coder's id within the article: e1, e2, ...
    sentence_index INTEGER,
    evidence_text TEXT NOT NULL,
    evidence_start INTEGER NOT NULL,
    evidence_end INTEGER NOT NULL,
    predicate_text TEXT,
    cameo TEXT NOT NULL,
    cameo_root TEXT NOT NULL,                -- first two digits of cameo
    cameo_name TEXT,
    plover_type TEXT,
    plover_mode TEXT,
    plover_context TEXT,                     -- comma-separated
    goldstein REAL,
    quad_class INTEGER,
    {_actor_columns("source")},
    {_actor_columns("target")},
    modality TEXT NOT NULL,
    reported_by_code TEXT,
    reported_by_name TEXT,
    reported_by_text TEXT,
    event_date_start TEXT,
    event_date_end TEXT,
    event_date_granularity TEXT,
    event_date_text TEXT,
    date_from_article INTEGER,               -- 1: the article's date, not read in the text
    historical INTEGER,
    location_name TEXT,
    location_country TEXT,
    location_lat REAL,
    location_lon REAL,
    location_feature TEXT,                   -- city | region | country | ...
    confidence REAL,
    rule TEXT,
    content TEXT,                            -- JSON: what a threat or demand was about
    UNIQUE (article_id, event_index)
)""",
    "CREATE INDEX events_source_code ON events(source_code)",
    "CREATE INDEX events_target_code ON events(target_code)",
    "CREATE INDEX events_source_country ON events(source_country)",
    "CREATE INDEX events_target_country ON events(target_country)",
    "CREATE INDEX events_cameo ON events(cameo)",
    "CREATE INDEX events_cameo_root ON events(cameo_root)",
    "CREATE INDEX events_plover_type ON events(plover_type)",
    "CREATE INDEX events_date ON events(event_date_start)",
    "CREATE INDEX events_modality ON events(modality)",
    """CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    quote_index INTEGER NOT NULL,
    kind TEXT,
    content_text TEXT NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    cue_text TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    speaker_code TEXT,
    speaker_country TEXT,
    speaker_name TEXT,
    speaker_text TEXT,
    sentence_index INTEGER,
    confidence REAL,
    PRIMARY KEY (article_id, quote_index)
) WITHOUT ROWID""",
    "CREATE INDEX quotes_speaker_code ON quotes(speaker_code)",
    """CREATE TABLE places (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    place_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    country TEXT,
    lat REAL,
    lon REAL,
    feature TEXT,
    text TEXT,
    place_start INTEGER,
    place_end INTEGER,
    PRIMARY KEY (article_id, place_index)
) WITHOUT ROWID""",
    """CREATE TABLE failures (
    failure_id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(run_id),
    source TEXT NOT NULL,                    -- as reported: path, path:line or path[index]
    input TEXT NOT NULL,                     -- the path alone
    line INTEGER,                            -- line (or item index), when known
    kind TEXT NOT NULL,                      -- the error class: FormatError, EncodingError, ...
    reason TEXT NOT NULL,
    recorded_at TEXT NOT NULL
)""",
    "CREATE INDEX failures_run ON failures(run_id)",
)

_V2 = (
    # A readable join for browsing (Datasette, sqlite3): one row per event with its article.
    """CREATE VIEW event_summary AS
SELECT e.event_id, e.article_id, a.date AS article_date, a.title AS article_title,
       e.event_date_start AS event_date, e.cameo, e.cameo_name, e.plover_type,
       e.source_code, e.source_name, e.target_code, e.target_name, e.modality,
       e.goldstein, e.confidence, e.evidence_text
FROM events e JOIN articles a ON a.id = e.article_id""",
)

_V3 = (
    # A joint act's partners ("Brazil and Argentina signed a pact": on Brazil's event,
    # Argentina): JSON list of actor objects with the fields of the source_*/target_* columns.
    # '[]' for any other event; NULL on rows stored before this migration, for which readers
    # fall back to the rule's ``joint`` mark (redline.monitor.clusters.joint_dyads).
    "ALTER TABLE events ADD COLUMN joint_with TEXT",
)

_V4 = (
    # The learned type model's view of each event: JSON object {type, quad, none[, proposed]}
    # (probabilities; ``proposed`` when the model, not a lexicon pattern, found the event).
    # NULL when the model was off or the row predates this migration.
    "ALTER TABLE events ADD COLUMN model_scores TEXT",
)

_V5 = (
    # ``redline watch``'s memory (redline.monitor.watch). Until this migration watch created
    # these tables itself, with these very statements, hence IF NOT EXISTS: a database it
    # already ran on keeps its tables and rows.
    """CREATE TABLE IF NOT EXISTS monitor_watch_state (
    state TEXT PRIMARY KEY,              -- the watch's name (default: watch)
    last_event_id INTEGER NOT NULL,      -- the highest event_id seen by the last run
    last_run_at TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS monitor_alerts (
    state TEXT NOT NULL,
    rule TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,            -- cluster key, source>target, or the rule name
    cluster_key TEXT NOT NULL,
    fired_at TEXT NOT NULL,
    alert TEXT NOT NULL,                 -- the alert as JSON
    PRIMARY KEY (state, rule, dedupe_key)
)""",
)

_V6 = (
    # Delivery of each alert to each sink (redline.monitor.watch), so that an alert a sink did
    # not get is sent again on the next run, and only to that sink. Alerts fired before this
    # migration have no rows here: they count as delivered.
    """CREATE TABLE monitor_deliveries (
    state TEXT NOT NULL,
    rule TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,            -- with state and rule: the alert in monitor_alerts
    sink TEXT NOT NULL,                  -- terminal, jsonl:<path>, webhook:<url>
    delivered_at TEXT,                   -- NULL until the sink took the alert
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,                     -- why the last attempt failed
    PRIMARY KEY (state, rule, dedupe_key, sink)
)""",
    "CREATE INDEX monitor_deliveries_pending ON monitor_deliveries (state, sink) "
    "WHERE delivered_at IS NULL",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, sentences, actors, events, quotes, places, runs, failures", _V1),
    Migration(2, "event_summary view", _V2),
    Migration(3, "events.joint_with: a joint act's partners", _V3),
    Migration(4, "events.model_scores: the learned type model's scores", _V4),
    Migration(5, "monitor_watch_state, monitor_alerts: redline watch's state and alerts", _V5),
    Migration(6, "monitor_deliveries: each alert's delivery to each sink", _V6),
)
SCHEMA_VERSION = MIGRATIONS[-1].version

_MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)"""


def now() -> str:
    """The current UTC time as ISO text, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def current_version(conn: sqlite3.Connection, where: str = "the database") -> int:
    """The highest applied migration (0 for an empty database).

    Raises :class:`SchemaVersionError` for a database that is not a redline event store:
    one with tables or views but no ``schema_migrations`` table, one whose
    ``schema_migrations`` is not redline's (other columns, or no migration 1), or one whose
    only redline mark is an empty ``schema_migrations`` beside other tables.
    """
    names = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    user = {n for n in names if not n.startswith("sqlite_")}
    if not user:
        return 0
    if "schema_migrations" in user:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(schema_migrations)")}
        if columns >= {"version", "name", "applied_at"}:
            low, high = conn.execute(
                "SELECT MIN(version), MAX(version) FROM schema_migrations").fetchone()
            if high is None and user == {"schema_migrations"}:
                return 0
            if low == 1:
                return int(high)
    raise SchemaVersionError(
        f"{where} is an SQLite database but not a redline event store (tables: "
        f"{', '.join(sorted(user)[:8])}); redline writes nothing to it: give another --db path"
    )


def check_version(version: int, where: str) -> None:
    """Refuse a database written by a newer redline."""
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{where} has schema version {version}, but this redline knows versions up to "
            f"{SCHEMA_VERSION}: it was written by a newer redline; upgrade redline to read it"
        )


def migrate(conn: sqlite3.Connection, where: str = "the database",
            target: int | None = None) -> list[int]:
    """Apply the migrations ``conn`` lacks (up to ``target``, default all); return their
    versions. Each migration and its ``schema_migrations`` row commit together, in one
    transaction that is rolled back whole if any statement fails (the ``schema_migrations``
    table itself included: a database that is not a redline store is left as it was).

    ``conn`` must be in autocommit mode (``isolation_level=None``), as the store's writer
    connections are.
    """
    target = SCHEMA_VERSION if target is None else target
    applied: list[int] = []
    while True:
        conn.execute("BEGIN IMMEDIATE")  # one migrating process at a time
        try:
            version = current_version(conn, where)  # before anything is written
            check_version(version, where)
            conn.execute(_MIGRATIONS_TABLE)
            pending = [m for m in MIGRATIONS if version < m.version <= target]
            if not pending:
                conn.execute("COMMIT")
                return applied
            step = pending[0]
            for statement in step.statements:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (?, ?, ?)", (step.version, step.name, now()))
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise
        log.info("%s: applied migration %d (%s)", where, step.version, step.name)
        applied.append(step.version)


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if SQLite has not already done so (it does itself
    after a full disk or an I/O error); a failing rollback leaves the first error to report."""
    if not conn.in_transaction:
        return
    try:
        conn.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - the error that caused the rollback is the one to raise
        log.debug("rollback failed", exc_info=True)
