import { fileURLToPath } from 'node:url';

const sfnLocal = (path: string) =>
  fileURLToPath(new URL(`./packages/sfn-local/src/${path}`, import.meta.url));

/**
 * The application runs sfn-local from source (tsconfig.json "paths" does the same for tsc and tsx); the package
 * itself exports its built dist/, which a fresh clone does not have. Shared by the unit and the browser test configs.
 */
export const sfnLocalFromSource = [
  { find: /^@marketplace-onboarding\/sfn-local$/, replacement: sfnLocal('index.ts') },
  { find: /^@marketplace-onboarding\/sfn-local\/process$/, replacement: sfnLocal('process.ts') },
];
