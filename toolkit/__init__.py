"""agentdb's toolkit: the thin Python tool around the agentdb PostgreSQL schema."""

__version__ = "0.1.0"
