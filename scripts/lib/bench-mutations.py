"""Drives scripts/bench-mutations: starts `strata dev` on a fresh data directory with commit
timestamps on, then measures `insert_tasks_one` from variables over /graphql with wrk beside
pgbench running the statement Strata sends (and again with as many writes at once as
connections, so that each insert commits alone), and `insert_comments_one`: with the comments
table's capture trigger detached, attached with no handler, and attached with an event reader
(the strata-bench-event-lag probe) handling every event; prints the rates with their ratio to the
first, and the commit-to-handler lag of the events written under that load and under one client.

    bench-mutations.py BIN_DIR DATA_DIR CONNECTIONS SECONDS"""
import json
import os
import subprocess
import sys
import time

from bench_server import busy_seconds, explain, free_port, pgbench, process_counters, sql as run_sql, start_server, wrk_post

bin_dir, data, connections, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
strata = os.path.join(bin_dir, "strata")
probe_binary = os.path.join(bin_dir, "strata-bench-event-lag")
ACME = "00000000-0000-4000-8000-000000000001"
ALAN = "10000000-0000-4000-8000-000000000002"
TASK = "12000000-0000-4000-8000-000000000001"
PROJECT = "11000000-0000-4000-8000-000000000001"
MUTATION = 'mutation { insert_comments_one(object: {task_id: "%s", body: "bench"}) { id } }' % TASK
SOCKET_DIR = os.path.join(data, "pg")
SUPERUSER_URL = f"postgres://postgres@/strata?host={SOCKET_DIR}"


def stop(process):
    process.terminate()
    process.wait(timeout=60)


def sql(statement):
    return run_sql(data, statement)


def wrk(port, token, clients=None):
    return wrk_post(data, port, token, json.dumps({"query": MUTATION}), clients or connections, seconds)


def wait_until_none(count_query, what, minutes):
    deadline = time.time() + minutes * 60
    while int(sql(count_query)) > 0:
        if time.time() > deadline:
            sys.exit(f"{what} did not catch up within {minutes} minutes")
        time.sleep(0.5)


def drained():
    wait_until_none("SELECT count(*) FROM strata.event_deliveries WHERE handler = 'lag-probe'", "the probe", 5)


def backlog_drained():
    wait_until_none("SELECT count(*) FROM strata.event_deliveries WHERE NOT dead", "the server's workers", 10)
    sql("VACUUM ANALYZE public.tasks, public.entity_history, public.notifications")


def postgres_seconds():
    """CPU seconds of PostgreSQL's processes: the live ones', and the postmaster's reaped
    children's (backends of connections closed meanwhile, such as pgbench's)."""
    total = 0
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except (OSError, ValueError):
            continue
        if text[text.index("(") + 1:text.rindex(")")] != "postgres":
            continue
        fields = text[text.rindex(")") + 2:].split()
        total += sum(int(field) for field in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def with_cpu(pid, run, duration=seconds):
    """`run()`'s rate, and the CPU µs per operation of Strata's process, of PostgreSQL and of the
    whole machine (PostgreSQL, the client, Strata) during it, which lasts `duration` seconds."""
    strata_before, postgres_before, busy_before = process_counters(pid)[0], postgres_seconds(), busy_seconds()
    rate = run()
    strata_after, postgres_after, busy_after = process_counters(pid)[0], postgres_seconds(), busy_seconds()
    operations = rate * duration
    return rate, ((strata_after - strata_before) * 1e6 / operations, (busy_after - busy_before) * 1e6 / operations,
                  (postgres_after - postgres_before) * 1e6 / operations)


def lag_after(first_event):
    """Count, p50 and p99 (ms) of commit -> handled for the events after `first_event`."""
    return sql(f"""
        SELECT count(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1),
               round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1)
        FROM (SELECT extract(epoch FROM h.handled_at - pg_xact_commit_timestamp(e.xmin)) * 1000 AS ms
              FROM strata.change_events e JOIN public.bench_event_handled h ON h.event_id = e.id
              WHERE e.id > {first_event}) AS lag""").split("|")


def inserts_per_commit(first_event):
    """Tasks inserted per committing transaction since `first_event` (each insert leaves one event)."""
    return float(sql(f"""SELECT round(count(*)::numeric / greatest(count(DISTINCT transaction_id), 1), 2)
                         FROM strata.change_events WHERE id > {first_event} AND table_name = 'tasks'"""))


def start_serve(port, extra):
    """A second server, `strata serve`, on the same database as `strata dev`'s."""
    log_path = os.path.join(data, f"serve-{port}.log")
    process = subprocess.Popen([strata, "serve", "--data-dir", data, "--database-url", f"postgres://strata_authenticator@/strata?host={SOCKET_DIR}",
                                "--port", str(port), "--connections", str(connections), *extra], stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while "Strata is serving" not in open(log_path).read():
        if time.time() > deadline or process.poll() is not None:
            sys.exit("strata serve did not start:\n" + open(log_path).read())
        time.sleep(0.2)
    return process


def last_event():
    return int(sql("SELECT coalesce(max(id), 0) FROM strata.change_events"))


port = free_port()
server = start_server(strata, data, port, connections)
# Commit timestamps take a restart to switch on.
sql("ALTER SYSTEM SET track_commit_timestamp = on")
stop(server)
server = start_server(strata, data, port, connections)
probe = None
try:
    if sql("SHOW track_commit_timestamp") != "on":
        sys.exit("track_commit_timestamp did not switch on")
    sql("CREATE TABLE public.bench_event_handled (event_id bigint PRIMARY KEY, handled_at timestamptz NOT NULL)")
    token = subprocess.run([strata, "token", "--data-dir", data, "--role", "member", "--tenant", ACME, "--user", ALAN],
                           check=True, capture_output=True, text=True).stdout.strip()

    # A task from variables: Strata against pgbench running the statement Strata sends, and
    # against a second server on the same database whose writes at once are as many as its
    # connections, so that each insert commits alone. The tables grow with every run and each
    # insert costs a little more than the last: the runs go in the order A B C C B A, half as long
    # each, so that the growth weighs alike on all three.
    task_variables = {"task": {"project_id": PROJECT, "title": "bench task", "status": "todo"}}
    task_sql, task_binds = explain(strata, data, "queries/bench/insert_task.graphql", task_variables, ACME, ALAN)
    task_body = json.dumps({"query": open("queries/bench/insert_task.graphql").read(), "variables": task_variables})
    alone_port = free_port()
    alone_server = start_serve(alone_port, ["--no-workers", "--concurrent-writes", str(connections)])
    half = max(1, seconds // 2)

    def limit_run():
        return with_cpu(server.pid, lambda: pgbench(data, task_sql, task_binds, connections, half, ACME, ALAN), half)

    def served_run(pid, port):
        first = last_event()
        rate, cpu = with_cpu(pid, lambda: wrk_post(data, port, token, task_body, connections, half), half)
        return rate, cpu, inserts_per_commit(first)

    runs = {"limit": [], "served": [], "alone": []}
    for kind in ["limit", "served", "alone", "alone", "served", "limit"]:
        # The events each run leaves are turned into history rows by the server's workers: that
        # backlog drains first, so no run pays for another's.
        backlog_drained()
        runs[kind].append(limit_run() if kind == "limit" else served_run(*((server.pid, port) if kind == "served" else (alone_server.pid, alone_port))))
    stop(alone_server)
    backlog_drained()

    def mean(kind, index):
        return sum(run[index] for run in runs[kind]) / len(runs[kind])

    def mean_cpu(kind):
        return [sum(run[1][part] for run in runs[kind]) / len(runs[kind]) for part in range(3)]
    task_limit, task_served, task_alone = mean("limit", 0), mean("served", 0), mean("alone", 0)
    limit_cpu, served_cpu, alone_cpu = mean_cpu("limit"), mean_cpu("served"), mean_cpu("alone")
    task_per_commit, alone_per_commit = mean("served", 2), mean("alone", 2)

    sql("DROP TRIGGER strata_capture ON public.comments")
    without_events = wrk(port, token)
    sql("SELECT strata.capture_changes('public.comments', 'comments', 'tenant_id', ARRAY['id'], ARRAY['insert', 'update', 'delete'])")
    # Events written, nobody handling them: the cost of capture alone.
    captured = wrk(port, token)

    probe_log = open(os.path.join(data, "probe.log"), "w")
    probe = subprocess.Popen([probe_binary, SUPERUSER_URL], stdout=probe_log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while sql("SELECT count(*) FROM strata.event_handlers WHERE name = 'lag-probe'") != "1":
        if time.time() > deadline or probe.poll() is not None:
            sys.exit("the event probe did not start:\n" + open(os.path.join(data, "probe.log")).read())
        time.sleep(0.2)
    first = last_event()
    handled = wrk(port, token)
    drained()
    saturated = lag_after(first)
    # One client: a load the machine is not saturated by, so the lag is the pipeline's own.
    first = last_event()
    paced = wrk(port, token, clients=1)
    drained()
    light = lag_after(first)

    print(f"{connections} connections, {seconds} s per run, loopback, one 2-core machine shared by PostgreSQL, Strata, wrk and the reader")
    writes = os.cpu_count()
    print(f"insert_tasks_one from variables: pgbench on its SQL {task_limit:.0f}/s, Strata {task_served:.0f}/s, "
          f"{task_served / task_limit:.2f}x (target 0.85x); Strata runs at most {writes} writes at once (its default beside a local "
          f"PostgreSQL), the others wait and commit together: {task_per_commit:.2f} inserts per commit")
    print(f"  with --concurrent-writes {connections} (each insert its own commit, {alone_per_commit:.2f} per commit): "
          f"{task_alone:.0f}/s, {task_alone / task_limit:.2f}x")
    print("  each the mean of two runs of " + f"{half} s, in the order pgbench, Strata, one commit each, one commit each, Strata, pgbench: "
          + ", ".join(f"{kind} " + " and ".join(f"{run[0]:.0f}" for run in runs[kind]) for kind in ["limit", "served", "alone"]))
    print(f"  CPU per insert, whole machine: pgbench's run {limit_cpu[1]:.0f} µs (PostgreSQL {limit_cpu[2]:.0f} µs, "
          f"Strata's workers {limit_cpu[0]:.0f} µs of it), Strata's run {served_cpu[1]:.0f} µs (PostgreSQL {served_cpu[2]:.0f} µs, "
          f"Strata's process {served_cpu[0]:.0f} µs of it), one commit each {alone_cpu[1]:.0f} µs (PostgreSQL {alone_cpu[2]:.0f} µs, "
          f"Strata's process {alone_cpu[0]:.0f} µs)")
    print("insert_comments_one as member; commit timestamps on")
    print(f"{'change events':<40} {'mutations/s':>12} {'of off':>7}")
    print(f"{'off (no trigger)':<40} {without_events:>12.0f} {1:>6.2f}x")
    print(f"{'captured, no handler':<40} {captured:>12.0f} {captured / without_events:>6.2f}x")
    print(f"{'captured and handled (one reader)':<40} {handled:>12.0f} {handled / without_events:>6.2f}x")
    print("event lag, commit -> handler:")
    print(f"  under that load ({connections} clients, {saturated[0]} events): p50 {saturated[1]} ms, p99 {saturated[2]} ms")
    print(f"  with 1 client ({paced:.0f} mutations/s, {light[0]} events): p50 {light[1]} ms, p99 {light[2]} ms")
finally:
    if probe is not None:
        stop(probe)
    stop(server)
