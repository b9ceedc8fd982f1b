"""The two kinds of expected failure, and the exit code each one maps to."""


class AgentdbError(Exception):
    """An expected failure: the CLI prints its one-line message and exits 2."""

    exit_code = 2


class UsageError(AgentdbError):
    """Bad input: an unknown migration id, a missing parameter, a bad file. Exit 2."""

    exit_code = 2


class CheckFailed(AgentdbError):
    """A check or an operation on the database failed (drift, a failed migration). Exit 1."""

    exit_code = 1


def describe_pg_error(exc: Exception, where: str | None = None) -> str:
    """One line for a PostgreSQL error: where it happened, SQLSTATE and the server's message."""
    diag = getattr(exc, "diag", None)
    sqlstate = getattr(exc, "sqlstate", None)
    primary = (diag.message_primary if diag is not None else None) or str(exc).strip().splitlines()[0]
    parts = []
    if where:
        parts.append(where)
    if sqlstate:
        parts.append(f"SQLSTATE {sqlstate}")
    parts.append(primary)
    hint = _HINTS.get(sqlstate or "")
    if sqlstate in ("0A000", "58P01") and "extension" not in primary:
        hint = None
    detail = diag.message_detail if diag is not None else None
    line = ": ".join(parts)
    if detail:
        line += f" ({detail})"
    server_hint = diag.message_hint if diag is not None else None
    if server_hint:
        line += f" - {server_hint}"
    elif hint:
        line += f" - {hint}"
    return line


_HINTS = {
    "55P03": "a lock was not granted within lock_timeout; another transaction holds it: retry, or raise --lock-timeout",
    "57014": "the statement ran past statement_timeout: raise --statement-timeout, or split the migration",
    "0A000": "is pgvector installed on this server? agentdb needs pgvector >= 0.7 (or use the embedded server)",
    "58P01": "is pgvector installed on this server? agentdb needs pgvector >= 0.7 (or use the embedded server)",
    "42501": "the connecting role lacks a privilege this step needs (see docs/decisions.md, 'What the migrating role needs')",
}
