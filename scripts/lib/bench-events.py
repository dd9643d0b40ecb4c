"""Drives scripts/bench-events: starts `strata dev` (its workers run the demo's triggers, plus a
`sql` and a `webhook` trigger on tasks added to a copy of the schema) with commit timestamps on,
writes tasks at a steady rate with pgbench, waits until every delivery is handled, and prints the
effects per second of each resolver kind and the commit-to-effect lag. The target run has the
demo's two triggers only; a second run, at a third of the rate, has all four kinds.

    bench-events.py BIN_DIR DATA_DIR RATE SECONDS"""
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time

from bench_server import free_port, sql as run_sql, start_server

bin_dir, data, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
strata = os.path.join(bin_dir, "strata")
TARGET_RATE, TARGET_P99 = 1000, 200.0


def sql(statement):
    return run_sql(data, statement)


def stop(process):
    process.terminate()
    process.wait(timeout=60)


def write(rate, seconds):
    """Inserts assigned tasks at `rate` per second (as fast as they go for 0) for `seconds`,
    alternating tenants; the rate reached."""
    script = os.path.join(data, "write.sql")
    with open(script, "w") as out:
        out.write("\\set t random(1, 2)\n")
        out.write("INSERT INTO public.tasks (tenant_id, project_id, assignee_id, title) "
                  "SELECT p.tenant_id, p.id, u.id, 'bench ' || :t FROM public.projects p "
                  "JOIN public.users u ON u.tenant_id = p.tenant_id AND u.role = 'member' "
                  "WHERE p.tenant_id = ('00000000-0000-4000-8000-00000000000' || :t)::uuid LIMIT 1;\n")
    limit = ["-R", str(rate)] if rate else []
    output = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c", "8", "-j", "2", *limit, "-T", str(seconds), "-f", script,
                             "-h", os.path.join(data, "pg"), "-U", "postgres", "strata"], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"tps = ([\d.]+)", output).group(1))


def drained(timeout):
    deadline = time.time() + timeout
    while int(sql("SELECT count(*) FROM strata.event_deliveries")) > 0:
        if time.time() > deadline:
            return False
        time.sleep(0.5)
    return True


def effects(kind, table, event_id, first_event, made_at="x.created_at"):
    """Count, rate (per second, from the first write's commit to the last effect), lag p50 and p99 (ms)."""
    row = sql(f"""
        WITH made AS (
            SELECT pg_xact_commit_timestamp(e.xmin) AS committed, {made_at} AS made
            FROM {table} x JOIN strata.change_events e ON e.id = {event_id}
            WHERE e.id > {first_event} AND e.table_name = 'tasks')
        SELECT count(*), round((count(*) / greatest(extract(epoch FROM max(made) - min(committed)), 0.001))::numeric, 0),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM made - committed) * 1000)::numeric, 1),
               round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM made - committed) * 1000)::numeric, 1)
        FROM made""").split("|")
    return kind, int(row[0]), row[1], float(row[2] or 0), float(row[3] or 0)


# A copy of the schema whose tasks also set off a sql and a webhook trigger, off until switched on.
received = []


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        received.append((self.headers.get("Idempotency-Key", ""), time.time()))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *arguments):
        pass


receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
schema = os.path.join(data, "schema")
shutil.copytree("schema", schema)
with open(os.path.join(schema, "tables", "tasks.yaml"), "a") as tasks:
    tasks.write(f"""  bench_sql:
    operations: [insert]
    sql: {{ function: public.bench_sql_effect }}
  bench_webhook:
    operations: [insert]
    webhook: {{ url: "http://127.0.0.1:{receiver.server_address[1]}/hook" }}
""")
EXTRA = ["--schema", schema]


def all_kinds(on):
    """Switches the sql and webhook triggers' handlers on (registered) or off (not)."""
    if on:
        sql("INSERT INTO strata.event_handlers (name, tables, declared) VALUES ('tasks.bench_sql', '{tasks}', true), "
            "('tasks.bench_webhook', '{tasks}', true) ON CONFLICT (name) DO NOTHING")
    else:
        sql("DELETE FROM strata.event_handlers WHERE name IN ('tasks.bench_sql', 'tasks.bench_webhook')")


port = free_port()
server = start_server(strata, data, port, 8, EXTRA)
# Commit timestamps take a restart to switch on.
sql("ALTER SYSTEM SET track_commit_timestamp = on")
sql("CREATE TABLE public.bench_sql_effects (event_id bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT clock_timestamp())")
sql("CREATE FUNCTION public.bench_sql_effect(event jsonb) RETURNS void LANGUAGE sql AS "
    "$$ INSERT INTO public.bench_sql_effects (event_id) VALUES ((event ->> 'id')::bigint) $$")
sql("GRANT INSERT, SELECT ON public.bench_sql_effects TO strata_worker")
sql("CREATE TABLE public.bench_webhook_received (event_id bigint PRIMARY KEY, received_at timestamptz NOT NULL)")
stop(server)
server = start_server(strata, data, port, 8, EXTRA)
try:
    all_kinds(False)
    if sql("SHOW track_commit_timestamp") != "on":
        sys.exit("track_commit_timestamp did not switch on")
    if not drained(60):
        sys.exit("the demo data's events were not handled within a minute")
    # The machine's ceiling: writes as fast as they go, the workers running beside them.
    ceiling = write(0, 5)
    if not drained(300):
        sys.exit("the workers did not catch up with the ceiling run within five minutes")
    first = int(sql("SELECT coalesce(max(id), 0) FROM strata.change_events"))
    reached = write(rate, seconds)
    caught_up = drained(300)
    results = [
        effects("notification", "public.notifications", "split_part(x.idempotency_key, ':', 2)::bigint", first),
        effects("history", "public.entity_history", "x.change_event_id", first),
    ]

    # Every kind at once, at a third of the rate.
    all_kinds(True)
    mixed_rate = max(rate // 3, 1)
    second = int(sql("SELECT coalesce(max(id), 0) FROM strata.change_events"))
    mixed_reached = write(mixed_rate, seconds)
    mixed_caught_up = drained(300)
    rows = ",".join(f"({key.split(':')[-1]}, to_timestamp({at}))" for key, at in received if key.split(":")[-1].isdigit())
    if rows:
        sql(f"INSERT INTO public.bench_webhook_received (event_id, received_at) VALUES {rows} ON CONFLICT DO NOTHING")
    mixed = [
        effects("notification", "public.notifications", "split_part(x.idempotency_key, ':', 2)::bigint", second),
        effects("history", "public.entity_history", "x.change_event_id", second),
        effects("sql", "public.bench_sql_effects", "x.event_id", second),
        effects("webhook", "public.bench_webhook_received", "x.event_id", second, made_at="x.received_at"),
    ]
finally:
    stop(server)
    receiver.shutdown()

print(f"write ceiling: {ceiling:,.0f}/s (8 pgbench clients unthrottled for 5 s, change events captured, workers running)")
print(f"writes: {reached:,.0f}/s asked {rate:,}/s for {seconds} s (tasks, each with an assignee; two tenants)")
print(f"{'resolver':<14}{'effects':>9}{'effects/s':>11}{'lag p50':>10}{'lag p99':>10}")
for kind, count, per_second, p50, p99 in results:
    print(f"{kind:<14}{count:>9,}{per_second:>11}{p50:>8.1f} ms{p99:>7.1f} ms")
if not caught_up:
    print("the workers had not caught up five minutes after the writes stopped")
print(f"\nall four kinds: {mixed_reached:,.0f} writes/s asked {mixed_rate:,}/s for {seconds} s"
      + ("" if mixed_caught_up else " (the workers had not caught up five minutes later)"))
print(f"{'resolver':<14}{'effects':>9}{'effects/s':>11}{'lag p50':>10}{'lag p99':>10}")
for kind, count, per_second, p50, p99 in mixed:
    print(f"{kind:<14}{count:>9,}{per_second:>11}{p50:>8.1f} ms{p99:>7.1f} ms")
worst = max(p99 for *_, p99 in results)
met = caught_up and reached >= TARGET_RATE * 0.97 and worst <= TARGET_P99 and rate >= TARGET_RATE
print(f"target: notification + history at {TARGET_RATE:,} writes/s with lag p99 ≤ {TARGET_P99:.0f} ms: "
      + ("met" if met else f"missed (p99 {worst:.1f} ms at {reached:,.0f} writes/s)"))
