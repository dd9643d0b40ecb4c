// The reference answers for validation: graphql-js validate() against the schema file given,
// with the rules passed on the command line excluded (rules Strata does not have yet).
const g = require('graphql');
const fs = require('fs');
const schema = g.buildSchema(fs.readFileSync(process.argv[2], 'utf8'));
const excluded = new Set(process.argv.slice(3));
const rules = g.specifiedRules.filter((rule) => !excluded.has(rule.name));
const documents = JSON.parse(fs.readFileSync(0, 'utf8'));
const outcomes = documents.map(({ name, body }) => {
  let document;
  try {
    document = g.parse(body);
  } catch (error) {
    return { name, ok: false, errors: [{ message: error.message, line: error.locations[0].line, column: error.locations[0].column }] };
  }
  const errors = g.validate(schema, document, rules);
  return { name, ok: errors.length === 0, errors: errors.map((e) => ({
    message: e.message, line: e.locations ? e.locations[0].line : 0, column: e.locations ? e.locations[0].column : 0,
    locations: (e.locations || []).map((l) => [l.line, l.column]) })) };
});
process.stdout.write(JSON.stringify(outcomes));
