// The reference answers for schemas: graphql-js buildSchema() (which checks the SDL) and then
// validateSchema() (the type system rules) on each document of the corpus.
const g = require('graphql');
const documents = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const outcomes = documents.map(({ name, body }) => {
  let schema;
  try {
    schema = g.buildSchema(body);
  } catch (error) {
    return { name, ok: false, errors: error.message.split('\n\n').map((message) => ({ message, line: 0, column: 0 })) };
  }
  const errors = g.validateSchema(schema);
  return { name, ok: errors.length === 0, errors: errors.map((e) => ({ message: e.message, line: 0, column: 0 })) };
});
process.stdout.write(JSON.stringify(outcomes));
