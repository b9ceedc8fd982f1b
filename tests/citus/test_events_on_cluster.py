"""The events contract on the cluster: the worker holding the row writes the event to its
outbox (NOTIFY cannot run in a two-phase commit), and agentdb's Listener relays every
worker's outbox (as `agentdb listen` does on a coordinator)."""

from __future__ import annotations

import pytest

from toolkit import listen as listen_module

from .. import test_events as single
from ..test_events import (  # noqa: F401 - the single-node bodies, run here
    test_a_10000_row_insert_is_one_event_per_conversation,
    test_agentdb_listen_prints_committed_events_for_its_tenant,
    test_every_channel_fires_with_the_documented_payload,
    test_no_event_for_rolled_back_work_and_events_wait_for_commit,
    test_the_triggers_match_the_documented_contract,
)


@pytest.fixture(autouse=True)
def listen_everywhere(monkeypatch):
    """The single-node bodies listen through agentdb's own Listener: the workers' outboxes."""
    monkeypatch.setattr(single, "listener", lambda url: listen_module.Listener(url, single.contract()))
