"""`agentdb maintain` on the cluster: the keyword index a deferred load left waiting is built
tenant by tenant, each pass on the worker holding the tenant (knowledge.index_pending_chunks_of,
delegated by p_tenant_id: a FOR UPDATE across tenants is refused by Citus)."""

from __future__ import annotations

from ..test_bm25 import test_maintain_indexes_what_a_deferred_load_left  # noqa: F401 - the single-node body
