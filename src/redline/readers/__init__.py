"""Input readers: files, directories and stdin in, :class:`~redline.article.Article` out.

``read_inputs(paths)`` yields one ``Article`` per article found and one
:class:`~redline.errors.InputError` per input, line, row or item that cannot be read (yielded,
not raised), so a batch goes on past bad input. ``count_hint(paths)`` estimates the count.

Input kinds, by extension (case-insensitive):

* ``.txt``, ``.text``, ``.md`` and any unknown extension: the whole file is one article, id =
  the file name and a hash of the text (``story.txt~1a2b3c4d5e``). An unknown extension that
  is not UTF-8 is reported as binary.
* ``.jsonl``, ``.ndjson``: one article per non-blank line; ``.json``: one object or a list of
  objects; ``.csv``, ``.tsv``: a header row naming a ``text`` column. Fields and default ids
  are described in :mod:`redline.readers.records`.
* ``.html``, ``.htm``: the main text as trafilatura extracts it (:mod:`redline.readers.html`).
* a directory: every file inside, recursively, sorted, hidden files and folders skipped;
  ids start with the path relative to the directory (``sub/story.txt~...``); devices, FIFOs
  and sockets inside it are skipped.
* ``-``: standard input. If its first non-blank line is a JSON object it is read as JSONL
  (ids ``<stdin>:<line>~<hash>``; a bad line later is reported, not turned into prose);
  otherwise the whole of it is one article with id ``<stdin>~<hash>``.

Default ids (an input or record that brings no id of its own) always end in ``~`` and the
first 10 hex digits of the sha256 of the text (whitespace-normalised, NFC): the same base name
from two folders or two days never gives one id to two texts, and a re-run of the same file
gives the same ids (:func:`~redline.readers.files.default_id`). Explicit ids are kept as given.

Conventions for every input:

* text must be UTF-8; a UTF-8 BOM is dropped; nothing is guessed (no Latin-1 fallback), except
  that an HTML page may declare its charset in a ``<meta>`` tag;
* ``\\r\\n`` and lone ``\\r`` become ``\\n``: the text handed on is otherwise exactly as read,
  and all later span offsets refer to it;
* only regular files are read: a device, FIFO, socket (or a symbolic link to one, whatever
  its name) is refused by its type (``os.stat``) before it is opened, and checked again on
  the descriptor, opened non-blocking;
* one article may be at most ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`) of UTF-8; a
  file read whole is sized with ``os.stat`` first and never read past the limit. JSONL and CSV
  files may be any size (they are streamed; each line or record is at most 6 times
  ``max_bytes`` plus 64 KiB, and each record's text is checked), a ``.json`` file and a feed
  up to 20 times and an HTML page up to 4 times ``max_bytes``. ``count_hint`` reads at most
  16 MiB of an input and extrapolates;
* a known signature (PNG, JPEG, GIF, PDF, ZIP, gzip, ...) or a NUL byte means binary: for a
  file read whole, anywhere in it; for JSONL and CSV, the line that holds it (that record is
  reported, the others are read); empty or whitespace-only text is an
  :class:`~redline.errors.EmptyInputError`; a text of 10,000 characters or more of which under
  10 % are letters or digits is refused as not prose (:class:`~redline.errors.FormatError`);
* lone UTF-16 surrogates (JSON ``"\\ud800"`` escapes) in any field are replaced by U+FFFD,
  with a note on the article and a warning naming the record (the record is kept);
* a date outside 1000-01-01..2999-12-31 (``9999-12-31``, ``0001-01-01``, a five-digit year)
  is ignored with a note and a warning naming the record; the article is coded with the
  default date, if any;
* one bad record costs only that record: data errors in a record (including unexpected ones,
  :data:`~redline.readers.records.RECORD_ERRORS`) are reported naming it and reading goes on.
"""

from redline.readers.files import DEFAULT_MAX_BYTES
from redline.readers.inputs import count_hint, read_inputs

__all__ = ["DEFAULT_MAX_BYTES", "count_hint", "read_inputs"]
