// Commit-to-delivery of live queries, measured by a client light enough not to be the bottleneck:
// SUBSCRIBERS graphql-transport-ws connections, the n-th running plan n % PLANS and watching task
// TASKS[n / PLANS % TASKS.length]; then ROUNDS writes (POST to the same server), each changing
// every subscriber's result, timed from the write's start to each subscriber's next result.
// The first WARMUP rounds are reported apart: they prepare each cohort's statement on the
// connections it meets, and PostgreSQL plans a prepared statement afresh for its first five runs
// on a connection. Prints one JSON object.
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
        const task = tasks[Math.floor(index / plans) % tasks.length];
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
  console.log(JSON.stringify(report));
  for (const socket of sockets) socket.close();
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
