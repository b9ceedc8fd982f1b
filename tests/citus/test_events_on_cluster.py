"""The events contract on the cluster: a notification is sent by the worker holding the
row, so listeners listen on every node (as `agentdb listen` does on a coordinator)."""

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


ONE_NODE = single.listener


class EveryNode:
    """LISTEN on the coordinator and every worker; read them all."""

    def __init__(self, url):
        self.conns = [ONE_NODE(u) for u in listen_module.node_urls(url)]

    def notifies(self, timeout):
        yield from listen_module._notifies(self.conns, timeout)

    def close(self):
        for conn in self.conns:
            conn.close()


@pytest.fixture(autouse=True)
def listen_everywhere(monkeypatch):
    monkeypatch.setattr(single, "listener", EveryNode)
