// graphql-js parse() throughput on the files given, in the benchmark's JSON line format.
const { parse } = require('graphql');
const fs = require('fs');
const seconds = Number(process.env.BENCH_SECONDS || 3);
for (const file of process.argv.slice(2)) {
  const body = fs.readFileSync(file, 'utf8');
  const bytes = Buffer.byteLength(body);
  parse(body);
  let iterations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    parse(body);
    iterations++;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = iterations / elapsed;
  console.log(JSON.stringify({ file, bytes, documents_per_second: perSecond, megabytes_per_second: perSecond * bytes / 1e6 }));
}
