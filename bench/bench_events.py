"""Commit-to-listener latency of the event channels at 1,000 events/s, and the message
insert rate into the partitioned chat.messages with every trigger on (COPY)."""

from __future__ import annotations

import json
import threading
import time

import psycopg

from common import ROOT, machine, scratch_database, server_url
from toolkit import config, migrator

PERSONAL = "00000000-0000-7000-8000-000000000001"
RATE = 1000
SECONDS = 5
COPY_ROWS = 100_000


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency(url: str) -> dict:
    received: dict[str, float] = {}
    ready = threading.Event()
    stop = threading.Event()

    def listen():
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("listen agentdb_messages")
            ready.set()
            while not stop.is_set():
                for note in conn.notifies(timeout=0.2):
                    at = time.perf_counter()
                    for message_id in json.loads(note.payload)["ids"]:
                        received[message_id] = at

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    ready.wait()
    committed: dict[str, float] = {}
    with psycopg.connect(url) as conn:
        total = RATE * SECONDS
        start = time.perf_counter()
        for n in range(total):
            target = start + n / RATE
            while time.perf_counter() < target:
                time.sleep(max(0.0, target - time.perf_counter()) / 2)
            message_id = conn.execute("insert into chat.messages (tenant_id, role, content) values (%s, 'user', %s) "
                                      "returning id", (PERSONAL, f"event {n}")).fetchone()[0]
            before_commit = time.perf_counter()
            conn.commit()
            committed[str(message_id)] = before_commit
        achieved = total / (time.perf_counter() - start)
    time.sleep(1)
    stop.set()
    thread.join()
    delays = [(received[i] - t) * 1000 for i, t in committed.items() if i in received]
    return {"sent": len(committed), "received": len(delays), "rate": achieved,
            "p50": percentile(delays, 0.5), "p99": percentile(delays, 0.99)}


def copy_rate(url: str) -> float:
    with psycopg.connect(url) as conn:
        conversations = [conn.execute("insert into chat.conversations (tenant_id) values (%s) returning id",
                                      (PERSONAL,)).fetchone()[0] for _ in range(10)]
        conn.commit()
        started = time.perf_counter()
        with conn.cursor().copy("copy chat.messages (tenant_id, conversation_id, role, content, user_name, machine, "
                                "path, tags) from stdin") as copy:
            for i in range(COPY_ROWS):
                copy.write_row((PERSONAL, conversations[i % 10], "user" if i % 2 else "assistant",
                                f"message {i} about the database migration plan and its rollout", "mgreenly",
                                "laptop", "/home/mgreenly/projects/ikigai/main", ["bench"]))
        conn.commit()
        return COPY_ROWS / (time.perf_counter() - started)


def main() -> None:
    print(f"machine: {machine()}")
    with scratch_database(server_url()) as url:
        migrator.migrate(url, config.Project(ROOT), migrator.Settings())
        figures = latency(url)
        print(f"commit-to-listener latency at {figures['rate']:,.0f} events/s ({figures['received']} of "
              f"{figures['sent']} received): p50 {figures['p50']:.2f} ms, p99 {figures['p99']:.2f} ms")
        rate = copy_rate(url)
        print(f"message inserts into partitioned chat.messages, COPY, all triggers on "
              f"({COPY_ROWS:,} rows, 10 conversations): {rate:,.0f} rows/s")


if __name__ == "__main__":
    main()
