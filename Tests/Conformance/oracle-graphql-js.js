// The reference answers: graphql-js parse() and print() on each document of the corpus.
const { parse, print } = require('graphql');
const documents = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const outcomes = documents.map(({ name, body }) => {
  try {
    return { name, ok: true, printed: print(parse(body)) };
  } catch (error) {
    if (!error.locations) throw error;
    return { name, ok: false, errors: error.locations.map(({ line, column }) => ({ message: error.message, line, column })) };
  }
});
process.stdout.write(JSON.stringify(outcomes));
