"""Drives scripts/bench-queries: starts `strata dev` on a fresh data directory, grows the demo
data (Acme: 4,000 more tasks, 12,000 comments), then for each benchmark query measures pgbench on
its final SQL (prepared, settings fixed per connection) and wrk against Strata's /graphql, and
prints both with their ratio, Strata's CPU time and context switches per request (from /proc,
around the wrk run), the latency percentiles wrk saw, how much of one core Strata's busiest thread
used, and how busy the machine's cores were under pgbench and under Strata (which of the two
bounds the rate), and pgbench's rate with one client per core, often PostgreSQL's best. Then the memory: the idle server's
RSS, and what each open idle keep-alive connection adds to it. Last, request coalescing: each
query with four times as many clients as the pool has connections, on this server and on one
started with --no-coalescing, with the requests each statement answered (from pg_stat_database).

    bench-queries.py STRATA DATA_DIR CONNECTIONS SECONDS"""
import json
import os
import re
import socket
import subprocess
import sys
import time

from bench_server import busy_seconds, explain, free_port, pgbench, process_counters, rss_kib, sql, start_server, thread_seconds, wrk_post

strata, data, connections, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ACME = "00000000-0000-4000-8000-000000000001"
ALAN = "10000000-0000-4000-8000-000000000002"
QUERIES = [
    # name, document, variables, target ratio to pgbench
    ("tasks_by_pk", "queries/bench/tasks_by_pk.graphql", {"id": "12000000-0000-4000-8000-000000000001"}, 0.35),
    ("recent tasks", "queries/bench/recent_tasks.graphql", {}, 0.95),
]
IDLE_CONNECTIONS = 1000

GROW = f"""
INSERT INTO public.tasks (id, tenant_id, project_id, assignee_id, title, status, reward, created_at)
SELECT ('13000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, '{ACME}',
       (SELECT id FROM public.projects WHERE tenant_id = '{ACME}' ORDER BY id LIMIT 1),
       CASE WHEN n % 3 = 0 THEN NULL WHEN n % 2 = 0 THEN '{ALAN}'::uuid ELSE '10000000-0000-4000-8000-000000000001'::uuid END,
       'Task number ' || n, (ARRAY['todo', 'in_progress', 'done'])[n % 3 + 1], n % 100, now() - n * interval '1 minute'
  FROM generate_series(1, 4000) AS n;
INSERT INTO public.comments (tenant_id, task_id, author_id, body, created_at)
SELECT '{ACME}', ('13000000-0000-4000-8000-' || lpad((n / 3 + 1)::text, 12, '0'))::uuid,
       CASE WHEN n % 2 = 0 THEN '{ALAN}'::uuid ELSE '10000000-0000-4000-8000-000000000001'::uuid END,
       'Comment ' || n || ' with a few words of text in it', now() - n * interval '1 second'
  FROM generate_series(0, 11999) AS n;
ANALYZE public.tasks; ANALYZE public.comments;
"""


def measured(pid, run):
    """`run()`'s wrk figures, with Strata's CPU µs and context switches per request beside them,
    how busy its busiest thread kept one core, and how busy the whole machine was."""
    cpu_before, switches_before = process_counters(pid)
    threads_before, busy_before, started = thread_seconds(pid), busy_seconds(), time.monotonic()
    figures = run()
    cpu_after, switches_after = process_counters(pid)
    threads_after, busy_after, elapsed = thread_seconds(pid), busy_seconds(), time.monotonic() - started
    figures["cpu_us"] = (cpu_after - cpu_before) * 1e6 / figures["requests"]
    figures["switches"] = (switches_after - switches_before) / figures["requests"]
    figures["busiest"] = max(seconds - threads_before.get(task, 0) for task, seconds in threads_after.items()) / elapsed
    figures["machine"] = (busy_after - busy_before) / elapsed / os.cpu_count()
    return figures


def healthz(port):
    output = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", f"http://127.0.0.1:{port}/healthz"],
                            check=True, capture_output=True, text=True).stdout
    return {"rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "requests": int(re.search(r"(\d+) requests in", output).group(1))}


def idle_connection_cost(port, pid):
    """RSS growth per open keep-alive connection that has served one request and stays idle."""
    before = rss_kib(pid)
    sockets = []
    for _ in range(IDLE_CONNECTIONS):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n")
        answer = b""
        while not answer.endswith(b'{"status":"ok"}'):
            answer += connection.recv(4096)
        sockets.append(connection)
    time.sleep(1)
    after = rss_kib(pid)
    for connection in sockets:
        connection.close()
    return (after - before) / IDLE_CONNECTIONS


def commits():
    return int(sql(data, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"))


def crowded(pid, port, token):
    """Each query's figures with 4 × `connections` clients on the pool's `connections`."""
    figures = {}
    for name, path, variables, _ in QUERIES:
        body = json.dumps({"query": open(path).read(), "variables": variables})
        before = commits()
        figures[name] = measured(pid, lambda: wrk_post(data, port, token, body, 4 * connections, seconds, details=True))
        figures[name]["per_statement"] = figures[name]["requests"] / max(1, commits() - before)
    return figures


port = free_port()
server = start_server(strata, data, port, connections)
try:
    pid = server.pid  # `strata dev` serves in this process; the cluster runs apart
    time.sleep(5)  # the server hands back its startup pages 3 s after it listens
    idle_rss = rss_kib(pid)
    sql(data, GROW)
    # The grown rows leave change events the server's own workers turn into history and
    # notifications: let that backlog drain, and the tables settle, before anything is measured,
    # so neither the limit nor Strata's CPU per request counts background work.
    deadline = time.time() + 600
    while int(sql(data, "SELECT count(*) FROM strata.event_deliveries WHERE NOT dead")) > 0 and time.time() < deadline:
        time.sleep(1)
    sql(data, "VACUUM ANALYZE public.tasks, public.comments, public.entity_history, public.notifications; CHECKPOINT")
    token = subprocess.run([strata, "token", "--data-dir", data, "--role", "member", "--tenant", ACME, "--user", ALAN],
                           check=True, capture_output=True, text=True).stdout.strip()
    print(f"{connections} connections (wrk's and pgbench's clients, Strata's pool; Strata runs at most {os.cpu_count()} reads at once, "
          f"its default beside a local PostgreSQL), {seconds} s per run, loopback, one machine shared by PostgreSQL, wrk and Strata; "
          f"Acme grown to {sql(data, f'SELECT count(*) FROM public.tasks WHERE tenant_id = {chr(39)}{ACME}{chr(39)}')} tasks, "
          f"{sql(data, f'SELECT count(*) FROM public.comments WHERE tenant_id = {chr(39)}{ACME}{chr(39)}')} comments")
    print(f"{'query':<14} {'pgbench (limit)':>16} {'strata':>10} {'ratio':>7} {'target':>7} {'CPU/req':>9} {'ctx sw/req':>10} "
          f"{'p50':>8} {'p99':>8} {'busiest thread':>14} {'busy: pgbench / strata':>22}")
    served_rates = {}
    for name, path, variables, target in QUERIES:
        sql_text, binds = explain(strata, data, path, variables, ACME, ALAN)
        busy_before, started = busy_seconds(), time.monotonic()
        limit = pgbench(data, sql_text, binds, connections, seconds, ACME, ALAN)
        limit_machine = (busy_seconds() - busy_before) / (time.monotonic() - started) / os.cpu_count()
        body = json.dumps({"query": open(path).read(), "variables": variables})
        served = measured(pid, lambda: wrk_post(data, port, token, body, connections, seconds, details=True))
        served_rates[name] = served["rate"]
        machine = f"{100 * limit_machine:.0f}% / {100 * served['machine']:.0f}%"
        print(f"{name:<14} {limit:>14.0f}/s {served['rate']:>8.0f}/s {served['rate'] / limit:>6.2f}x {target:>6.2f}x "
              f"{served['cpu_us']:>7.1f}µs {served['switches']:>10.2f} {served['p50']:>6.2f}ms {served['p99']:>6.2f}ms "
              f"{100 * served['busiest']:>13.0f}% {machine:>22}")
    # PostgreSQL's own best is often with one client per core; the ratios to that, beside the targets' basis.
    cores = os.cpu_count()
    per_core = {name: pgbench(data, *explain(strata, data, path, variables, ACME, ALAN), cores, seconds, ACME, ALAN)
                for name, path, variables, _ in QUERIES}
    print(f"pgbench with {cores} clients (one per core): " + ", ".join(
        f"{name} {per_core[name]:.0f}/s (Strata {served_rates[name] / per_core[name]:.2f}x of it)" for name, *_ in QUERIES))
    floor = measured(pid, lambda: healthz(port))
    print(f"{'/healthz':<14} {'':>16} {floor['rate']:>8.0f}/s {'':>7} {'':>7} {floor['cpu_us']:>7.1f}µs {floor['switches']:>10.2f}")
    time.sleep(2)
    after_runs = rss_kib(pid)
    print(f"idle RSS of the server: {idle_rss / 1024:.1f} MiB after startup (target 30), {after_runs / 1024:.1f} MiB idle after the runs; "
          f"each idle keep-alive connection adds {idle_connection_cost(port, pid):.1f} KiB ({IDLE_CONNECTIONS} open)")
    coalesced = crowded(pid, port, token)
    server.terminate()
    server.wait(timeout=60)
    server = start_server(strata, data, port, connections, extra=["--no-coalescing"])
    alone = crowded(server.pid, port, token)
    print(f"request coalescing, {4 * connections} clients on {connections} connections: coalesced vs --no-coalescing")
    print(f"{'query':<14} {'coalesced':>10} {'req/stmt':>8} {'CPU/req':>9} {'p99':>8} {'alone':>10} {'CPU/req':>9} {'p99':>8} {'gain':>6}")
    for name, *_ in QUERIES:
        on, off = coalesced[name], alone[name]
        print(f"{name:<14} {on['rate']:>8.0f}/s {on['per_statement']:>8.2f} {on['cpu_us']:>7.1f}µs {on['p99']:>6.2f}ms "
              f"{off['rate']:>8.0f}/s {off['cpu_us']:>7.1f}µs {off['p99']:>6.2f}ms {on['rate'] / off['rate']:>5.2f}x")
finally:
    server.terminate()
    server.wait(timeout=60)
