"""The ingest suite, unchanged, on the distributed schema: HTML, Markdown and
reStructuredText read and chunked, skipped files named, a file ingested again replaces its
chunks (a delete of chunks fires the BM25 statement trigger on the shards), and bulk ingest
as an app login under row-level security."""

from ..test_ingest_cli import *  # noqa: F401,F403
