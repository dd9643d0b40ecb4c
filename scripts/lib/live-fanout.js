// Commit-to-delivery of live queries, measured by a client light enough not to be the bottleneck:
// SUBSCRIBERS graphql-transport-ws connections, the n-th running plan n % PLANS and watching task
// TASKS[n / PLANS % TASKS.length]; then ROUNDS writes (POST to the same server), each changing
// every subscriber's result, timed from the write's start to each subscriber's next result.
// The first WARMUP rounds are reported apart: they prepare each cohort's statement on the
// connections it meets, and PostgreSQL plans a prepared statement afresh for its first five runs
// on a connection. With STEADY_RATE set (rates, comma-separated), steady phases follow: writes at each rate for
// STEADY_SECONDS (default 5), each to one task, so each changes the result of the one cohort
// watching it; every result is timed from its write's start. Prints one JSON object.
//   node --experimental-websocket live-fanout.js URL TOKEN SUBSCRIBERS PLANS WARMUP ROUNDS TASK…
const [url, token, subscriberText, planText, warmupText, roundText, ...tasks] = process.argv.slice(2);
const subscribers = Number(subscriberText), plans = Number(planText), warmup = Number(warmupText), rounds = Number(roundText);
const query = (n) => `subscription Task($id: uuid!) { tasks_by_pk(id: $id) { title plan${n}: id } }`;

function open(index) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } }));
    socket.onerror = (event) => reject(new Error(`socket ${index}: ${event.message || 'error'}`));
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        const task = tasks[index % tasks.length];
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: query(index % plans), variables: { id: task } } }));
      } else if (message.type === 'next') {
        socket.onmessage = null;
        resolve(socket);
      } else if (message.type === 'error') {
        reject(new Error(`socket ${index}: ${event.data}`));
      }
    };
  });
}

async function write(round) {
  const answer = await fetch(url.replace('ws://', 'http://'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `mutation { update_tasks(where: {title: {_like: "bench %"}}, _set: {title: "bench fanout ${round} ${Date.now()}"}) { affected_rows } }` }),
  });
  const body = await answer.text();
  if (body.includes('"errors"')) throw new Error(`the write failed: ${body}`);
}

/** CPU seconds the process `pid` has used (user + system; clock ticks at Linux's 100 Hz). */
function cpuSeconds(pid) {
  if (!pid) return NaN;
  const stat = require('fs').readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** Writes at `rate` per second for `seconds`, each one task's title carrying its start time;
 *  every result sent with such a title is timed against it. */
async function steady(sockets, rate, seconds) {
  const latencies = [];
  for (const socket of sockets) {
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      const title = message.type === 'next' && message.payload.data?.tasks_by_pk?.title;
      if (title && title.startsWith('bench steady ')) latencies.push(performance.now() - Number(title.split(' ').pop()));
    };
  }
  const interval = 1000 / rate, writes = [], cpuBefore = cpuSeconds(process.env.STRATA_PID);
  const started = performance.now(), end = started + seconds * 1000;
  let next = started, failed = 0, failure = '';
  while (performance.now() < end) {
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    const task = tasks[writes.length % tasks.length];
    writes.push(fetch(url.replace('ws://', 'http://'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `mutation { update_tasks_by_pk(pk_columns: {id: "${task}"}, _set: {title: "bench steady ${performance.now()}"}) { id } }` }),
    }).then((answer) => answer.text()).then((body) => { if (body.includes('"errors"')) { failed++; failure ||= body.slice(0, 200); } }));
    next += interval;
  }
  await Promise.all(writes);
  const elapsed = (performance.now() - started) / 1000;
  await sleep(1000);
  const cpu = (cpuSeconds(process.env.STRATA_PID) - cpuBefore) / (elapsed + 1);
  latencies.sort((a, b) => a - b);
  return { asked: rate, seconds, writes: writes.length, reached: writes.length / elapsed, failed, failure, delivered: latencies.length, cpu,
           p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

function percentile(sorted, p) {
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)];
}

async function main() {
  const sockets = [];
  for (let start = 0; start < subscribers; start += 200) {
    const batch = [];
    for (let index = start; index < Math.min(subscribers, start + 200); index++) batch.push(open(index));
    sockets.push(...await Promise.all(batch));
  }
  const report = { subscribers, plans };
  const latencies = [], cold = [];
  for (let round = 0; round < warmup + rounds; round++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const times = [];
    const started = performance.now();
    const delivered = Promise.all(sockets.map((socket) => new Promise((resolve) => {
      socket.onmessage = () => {
        socket.onmessage = null;
        times.push(performance.now() - started);
        resolve();
      };
    })));
    await write(round);
    const answered = performance.now() - started;
    await delivered;
    times.sort((a, b) => a - b);
    if (round < warmup) {
      cold.push(...times);
    } else {
      latencies.push(...times);
      (report.answered ||= []).push(answered);
    }
  }
  latencies.sort((a, b) => a - b);
  cold.sort((a, b) => a - b);
  report.warmup = { rounds: warmup, p50: percentile(cold, 0.5), p99: percentile(cold, 0.99) };
  report.first = latencies[0];
  report.p50 = percentile(latencies, 0.5);
  report.p99 = percentile(latencies, 0.99);
  report.answered = percentile(report.answered.sort((a, b) => a - b), 0.5);
  report.steady = [];
  for (const rate of (process.env.STEADY_RATE || '').split(',').filter(Boolean)) {
    report.steady.push(await steady(sockets, Number(rate), Number(process.env.STEADY_SECONDS || 5)));
    await sleep(2000);
  }
  console.log(JSON.stringify(report));
  for (const socket of sockets) socket.close();
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
