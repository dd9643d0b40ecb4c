"""Live-query figures of one `strata dev`, in one run (see scripts/bench-subscriptions):
memory per idle subscriber, commit-to-delivery latency when one write changes every
subscriber's result, statements per refresh, and delivery under a steady stream of writes.

    bench-subscriptions.py STRATA DATA_DIR IDLE SUBSCRIBERS"""
import asyncio
import json
import re
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
import http.client

import websockets

sys.path.insert(0, os.path.dirname(__file__))
from bench_server import free_port, process_counters, rss_kib, sql, start_server  # noqa: E402

strata, data, idle_count, subscriber_count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ACME = "00000000-0000-4000-8000-000000000001"
ALAN = "10000000-0000-4000-8000-000000000002"
COHORTS = 50
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it too

port = free_port()
# A thousand subscribers of one tenant, each sent a result per write: the per-tenant message
# rate (200/s by default) would pace deliveries by design; raised here to measure the pipeline.
os.environ["STRATA_TENANT_MESSAGE_RATE"] = "1000000"
server = start_server(strata, data, port, 8)


def member_token(tenant):
    return subprocess.run([strata, "token", "--data-dir", data, "--role", "member", "--tenant", tenant, "--user", ALAN],
                          check=True, capture_output=True, text=True).stdout.strip()


token = member_token(ACME)
# Idle subscribers spread over tenants, a thousand each: one tenant may hold only so many.
idle_tokens = [member_token(f"00000000-0000-4000-9000-{n:012d}") for n in range((idle_count + 999) // 1000)]
# Fifty tasks of Alan's, each watched by subscribers of every plan.
sql(data, f"""INSERT INTO public.tasks (id, tenant_id, project_id, assignee_id, title, status)
SELECT ('12000000-0000-4000-8000-' || lpad((1000 + n)::text, 12, '0'))::uuid, '{ACME}', '11000000-0000-4000-8000-000000000001',
       '{ALAN}', 'bench ' || n, 'todo' FROM generate_series(1, {COHORTS}) AS n ON CONFLICT DO NOTHING""")
TASKS = [f"12000000-0000-4000-8000-{1000 + n:012d}" for n in range(1, COHORTS + 1)]
# Fifty plans: the same live query under fifty response keys, so fifty cohorts.
LIVE = ["subscription Task($id: uuid!) { tasks_by_pk(id: $id) { title plan%d: id } }" % n for n in range(COHORTS)]


async def subscribe(index, bearer):
    """A subscriber of plan index % COHORTS watching task index // COHORTS % COHORTS; returns its
    socket once the first result arrived."""
    socket = await websockets.connect(f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"],
                                      ping_interval=None, max_queue=None)
    await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {bearer}"}}))
    await socket.recv()
    await socket.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": LIVE[index % COHORTS],
                                              "variables": {"id": TASKS[index // COHORTS % COHORTS]}}}))
    await socket.recv()
    return socket


async def subscribe_all(count, tokens):
    """`count` subscribers, the n-th with tokens[n // 1000]."""
    sockets = []
    for start in range(0, count, 250):
        sockets += await asyncio.gather(*[subscribe(index, tokens[index // 1000 % len(tokens)])
                                          for index in range(start, min(count, start + 250))])
    return sockets


def post(connection, query, bearer=None):
    connection.request("POST", "/graphql", json.dumps({"query": query}),
                       {"Content-Type": "application/json", "Authorization": f"Bearer {bearer or token}"})
    answer = connection.getresponse().read()
    if b'"errors"' in answer:
        sys.exit(f"a write failed: {answer[:300]}")


def failure_code(steady):
    """`: <code>` of the first failed write's error, or nothing."""
    found = re.search(r'"code":"([^"]+)"', steady.get("failure") or "")
    return f": {found.group(1)}" if steady["failed"] and found else ""


def commits():
    """Transactions committed in the database so far. Backends report them at most once a second
    (PostgreSQL 15), so the count is read after a pause."""
    time.sleep(1.5)
    return int(sql(data, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'strata'"))


async def main():
    print(f"loopback, one machine shared by PostgreSQL, Strata and this client; {COHORTS} plans of one live query over "
          f"{COHORTS} tasks, each subscriber watching one task; the per-tenant message rate raised to 1,000,000/s")

    # Idle subscribers: what each costs the server.
    await asyncio.sleep(1)
    if idle_count == 0:
        idle_tokens.append(token)
    before = rss_kib(server.pid)
    sockets = await subscribe_all(idle_count, idle_tokens)
    await asyncio.sleep(2)
    after = rss_kib(server.pid)
    print(f"{idle_count} idle subscribers ({len(idle_tokens)} tenants): RSS {before / 1024:.1f} -> {after / 1024:.1f} MiB, "
          f"{(after - before) / max(1, idle_count):.1f} KiB each (target 16)")
    await asyncio.gather(*[socket.close() for socket in sockets])
    await asyncio.sleep(2)

    # One write changing every subscriber's result, timed by a client light enough (node) not to
    # be what is measured.
    cohorts = min(COHORTS, subscriber_count)
    fanout = os.path.join(os.path.dirname(__file__), "live-fanout.js")
    flags = ["--experimental-websocket"] if subprocess.run(["node", "--experimental-websocket", "-e", "1"],
                                                           capture_output=True).returncode == 0 else []
    run = await asyncio.to_thread(subprocess.run, ["node", *flags, fanout, f"ws://127.0.0.1:{port}/graphql", token,
                                                   str(subscriber_count), str(COHORTS), "8", "5", *TASKS[:COHORTS]],
                                  capture_output=True, text=True, env={**os.environ, "STEADY_RATE": "500,250", "STEADY_SECONDS": "5",
                                                                    "STRATA_PID": str(server.pid)})
    if run.returncode != 0:
        sys.exit(f"the fan-out client failed: {run.stderr}")
    fan = json.loads(run.stdout)
    print(f"first {fan['warmup']['rounds']} refreshes after subscribing (statements being prepared and planned): write-to-delivery "
          f"p50 {fan['warmup']['p50']:.1f} ms, p99 {fan['warmup']['p99']:.1f} ms")
    print(f"{subscriber_count} subscribers of {cohorts} plans (cohorts), one write changing every result (5 rounds after those): write-to-delivery "
          f"first {fan['first']:.1f} ms, p50 {fan['p50']:.1f} ms, p99 {fan['p99']:.1f} ms (target 100); "
          f"the write itself answered after {fan['answered']:.1f} ms")
    for steady in fan["steady"]:
        print(f"writes asked at {steady['asked']}/s for {steady['seconds']} s ({steady['reached']:.0f}/s reached, {steady['failed']} failed{failure_code(steady)}), "
              f"{subscriber_count} subscribers, each write changing one cohort's {subscriber_count // cohorts} results: {steady['writes']} writes, "
              f"{steady['delivered']} results delivered, write-to-delivery p50 {steady['p50']:.1f} ms, p99 {steady['p99']:.1f} ms; "
              f"Strata CPU {100 * steady['cpu']:.0f}% of one core")

    # The statements one such refresh runs, read from PostgreSQL's own log of them (once the
    # fan-out client's connections are closed: they count against the tenant's cap).
    await asyncio.sleep(3)
    sockets = await subscribe_all(subscriber_count, [token])
    connection = http.client.HTTPConnection("127.0.0.1", port)
    latencies = []

    async def next_message(socket, started):
        await socket.recv()
        latencies.append(time.perf_counter() - started)

    log_path = os.path.join(data, "pg", "server.log")
    for round in range(2):
        if round == 1:
            sql(data, "ALTER SYSTEM SET log_statement = 'all'")
            sql(data, "SELECT pg_reload_conf()")
            await asyncio.sleep(0.5)
            logged = os.path.getsize(log_path)
        started = time.perf_counter()
        waits = [asyncio.create_task(next_message(socket, started)) for socket in sockets]
        await asyncio.to_thread(post, connection, 'mutation { update_tasks(where: {title: {_like: "bench %%"}}, '
                                                  '_set: {title: "bench %d"}) { affected_rows } }' % round)
        await asyncio.wait_for(asyncio.gather(*waits), 60)
    await asyncio.sleep(0.5)
    sql(data, "ALTER SYSTEM RESET log_statement")
    sql(data, "SELECT pg_reload_conf()")
    with open(log_path, errors="replace") as log:
        log.seek(logged)
        executed = [line for line in log if "LOG:  execute" in line]
    refreshes = sum("strata_member" in line for line in executed)
    switches = sum("set_config" in line for line in executed)
    print(f"statements one refresh of those {cohorts} cohorts ran (PostgreSQL's statement log): {refreshes} cohort statements, "
          f"{switches} settings switches (target: one statement per cohort)")
    await asyncio.gather(*[socket.close() for socket in sockets])

    # Two processes on one database: subscribers of this one, writes through another.
    other_port = free_port()
    other = start_server(strata, data, other_port, 4)
    try:
        sockets = await subscribe_all(COHORTS, [token])
        connection = http.client.HTTPConnection("127.0.0.1", other_port)
        latencies = []
        for round in range(10):
            await asyncio.sleep(0.2)  # past the refresh interval: each write is refreshed at once
            started = time.perf_counter()
            waits = [asyncio.create_task(next_message(socket, started)) for socket in sockets]
            await asyncio.to_thread(post, connection, 'mutation { update_tasks(where: {title: {_like: "bench %%"}}, '
                                                      '_set: {title: "bench other %d"}) { affected_rows } }' % round)
            await asyncio.wait_for(asyncio.gather(*waits), 30)
        latencies.sort()
        print(f"two strata processes on one database, {len(sockets)} subscribers of one, writes through the other (10 rounds): "
              f"write-to-delivery p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.1f} ms")
        await asyncio.gather(*[socket.close() for socket in sockets])
    finally:
        other.terminate()
        other.wait()


try:
    asyncio.run(main())
finally:
    server.terminate()
    server.wait()
