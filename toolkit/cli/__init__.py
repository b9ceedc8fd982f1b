"""The `agentdb` command line: parse, call the library, format. No SQL here."""
