"""Drives scripts/bench-events: starts `strata dev` (its workers run the demo's triggers) with
commit timestamps on, writes tasks at a steady rate with pgbench, waits until every delivery is
handled, and prints the effects per second of each resolver kind and the commit-to-effect lag.

    bench-events.py BIN_DIR DATA_DIR RATE SECONDS"""
import os
import re
import subprocess
import sys
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


def effects(kind, table, event_id, first_event):
    """Count, rate (per second, from the first write's commit to the last effect), lag p50 and p99 (ms)."""
    row = sql(f"""
        WITH made AS (
            SELECT pg_xact_commit_timestamp(e.xmin) AS committed, x.created_at AS made
            FROM {table} x JOIN strata.change_events e ON e.id = {event_id}
            WHERE e.id > {first_event} AND e.table_name = 'tasks')
        SELECT count(*), round((count(*) / greatest(extract(epoch FROM max(made) - min(committed)), 0.001))::numeric, 0),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM made - committed) * 1000)::numeric, 1),
               round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM made - committed) * 1000)::numeric, 1)
        FROM made""").split("|")
    return kind, int(row[0]), row[1], float(row[2] or 0), float(row[3] or 0)


port = free_port()
server = start_server(strata, data, port, 8)
# Commit timestamps take a restart to switch on.
sql("ALTER SYSTEM SET track_commit_timestamp = on")
stop(server)
server = start_server(strata, data, port, 8)
try:
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
finally:
    stop(server)

print(f"write ceiling: {ceiling:,.0f}/s (8 pgbench clients unthrottled for 5 s, change events captured, workers running)")
print(f"writes: {reached:,.0f}/s asked {rate:,}/s for {seconds} s (tasks, each with an assignee; two tenants)")
print(f"{'resolver':<14}{'effects':>9}{'effects/s':>11}{'lag p50':>10}{'lag p99':>10}")
for kind, count, per_second, p50, p99 in results:
    print(f"{kind:<14}{count:>9,}{per_second:>11}{p50:>8.1f} ms{p99:>7.1f} ms")
if not caught_up:
    print("the workers had not caught up five minutes after the writes stopped")
worst = max(p99 for *_, p99 in results)
met = caught_up and reached >= TARGET_RATE * 0.97 and worst <= TARGET_P99 and rate >= TARGET_RATE
print(f"target: notification + history at {TARGET_RATE:,} writes/s with lag p99 ≤ {TARGET_P99:.0f} ms: "
      + ("met" if met else f"missed (p99 {worst:.1f} ms at {reached:,.0f} writes/s)"))
