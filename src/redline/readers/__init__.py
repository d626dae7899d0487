"""Input readers: files, directories and stdin in, :class:`~redline.article.Article` out.

``read_inputs(paths)`` yields one ``Article`` per article found and one
:class:`~redline.errors.InputError` per input, line, row or item that cannot be read (yielded,
not raised), so a batch goes on past bad input. ``count_hint(paths)`` estimates the count.

Input kinds, by extension (case-insensitive):

* ``.txt``, ``.text``, ``.md`` and any unknown extension: the whole file is one article, id =
  the file name. An unknown extension that is not UTF-8 is reported as binary.
* ``.jsonl``, ``.ndjson``: one article per non-blank line; ``.json``: one object or a list of
  objects; ``.csv``, ``.tsv``: a header row naming a ``text`` column. Fields and default ids
  are described in :mod:`redline.readers.records`.
* ``.html``, ``.htm``: the main text as trafilatura extracts it (:mod:`redline.readers.html`).
* a directory: every file inside, recursively, sorted, hidden files and folders skipped;
  ids are paths relative to the directory (``sub/story.txt``).
* ``-``: standard input. If its first non-blank line is a JSON object it is read as JSONL
  (ids ``<stdin>:<line>``; a bad line later is reported, not turned into prose); otherwise
  the whole of it is one article with id ``<stdin>``.

Conventions for every input:

* text must be UTF-8; a UTF-8 BOM is dropped; nothing is guessed (no Latin-1 fallback), except
  that an HTML page may declare its charset in a ``<meta>`` tag;
* ``\\r\\n`` and lone ``\\r`` become ``\\n``: the text handed on is otherwise exactly as read,
  and all later span offsets refer to it;
* one article may be at most ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`) of UTF-8; a text
  file's size is checked with ``os.stat`` before it is read. JSONL and CSV files may be any
  size (they are streamed; each record's text is checked), a ``.json`` file up to 20 times and
  an HTML page up to 4 times ``max_bytes``;
* a NUL byte in the first 8 KB or a known signature (PNG, JPEG, GIF, PDF, ZIP, gzip, ...)
  means binary; empty or whitespace-only text is an :class:`~redline.errors.EmptyInputError`.
"""

from redline.readers.files import DEFAULT_MAX_BYTES
from redline.readers.inputs import count_hint, read_inputs

__all__ = ["DEFAULT_MAX_BYTES", "count_hint", "read_inputs"]
