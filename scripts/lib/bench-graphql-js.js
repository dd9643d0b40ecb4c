// graphql-js throughput on the same inputs as strata-bench-language, in its JSON line format.
//   node bench-graphql-js.js FILE…                     parse each file
//   node bench-graphql-js.js --validate SCHEMA QUERY   validate QUERY against SCHEMA
const { parse, buildSchema, validate } = require('graphql');
const fs = require('fs');
const seconds = Number(process.env.BENCH_SECONDS || 3);

function measure(body) {
  body();
  let iterations = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    body();
    iterations++;
  }
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

const args = process.argv.slice(2);
if (args[0] === '--validate') {
  const schema = buildSchema(fs.readFileSync(args[1], 'utf8'));
  const document = parse(fs.readFileSync(args[2], 'utf8'));
  const perSecond = measure(() => validate(schema, document));
  console.log(JSON.stringify({ file: args[2], validations_per_second: perSecond, microseconds: 1e6 / perSecond }));
} else {
  for (const file of args) {
    const body = fs.readFileSync(file, 'utf8');
    const bytes = Buffer.byteLength(body);
    const perSecond = measure(() => parse(body));
    console.log(JSON.stringify({ file, bytes, documents_per_second: perSecond, megabytes_per_second: perSecond * bytes / 1e6 }));
  }
}
