// Placeholder until the local stack lands (issue 4): say so plainly instead of pretending.
console.error(
  'npm start: the local stack (runtime, DynamoDB, SES, marketplace simulator, web app) is not built yet.\n' +
    'See README.md for what works today (npm test, npm run synth).',
);
process.exit(1);
