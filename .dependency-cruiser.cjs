/**
 * The layer rules of the project (docs/architecture.md, "Layers and the rules that enforce them"), checked by
 * dependency-cruiser in `npm test` (script `depcruise`) and exercised by test/architecture/rules.test.ts.
 * Every rule is an error. Paths are from the repository root; a workspace package imported by its name resolves to
 * packages/<name>/ (an unresolved one is still matched by its name, `@marketplace-onboarding/...`).
 */

/** The local stand-ins for AWS services: today's npm workspaces and their former homes under local/. */
const EMULATORS = '^(packages/|local/(states|marketplace|events)/|@marketplace-onboarding/)';
/** The application: what is deployed (and the CLI that runs it from a terminal). */
const APP = '^(tasks|web|workflows|cli|infra)/';
// (no `$` in these patterns: dependency-cruiser substitutes `$1`-style groups and mangles a `$` before `)`)
const SDK_OR_CDK = 'node_modules/(@aws-sdk|@smithy|aws-cdk-lib|constructs)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'tasks/domain holds the rules: no AWS SDK or CDK, and nothing of the layers around it (ports, use cases, ' +
        'adapters, handlers, web, cli, infra, local, the emulators).',
      severity: 'error',
      from: { path: '^tasks/domain/' },
      to: {
        path: [
          SDK_OR_CDK,
          '^tasks/(ports|use-cases|adapters|handlers)/',
          '^(web|cli|infra|local|bench|test)/',
          EMULATORS,
        ],
      },
    },
    {
      name: 'ports-import-no-adapters',
      comment:
        'tasks/ports are interfaces: no adapter, handler or use case, no AWS SDK, nothing above tasks.',
      severity: 'error',
      from: { path: '^tasks/ports/' },
      to: {
        path: [
          SDK_OR_CDK,
          '^tasks/(adapters|handlers|use-cases)/',
          '^(web|cli|infra|local|bench|test)/',
          EMULATORS,
        ],
      },
    },
    {
      name: 'use-cases-import-no-adapters',
      comment:
        'tasks/use-cases work on the ports only: no adapter (they are chosen by handlers, web/bootstrap, cli and the ' +
        'local stack), no AWS SDK, no handler, nothing above tasks.',
      severity: 'error',
      from: { path: '^tasks/use-cases/' },
      to: {
        path: [SDK_OR_CDK, '^tasks/(adapters|handlers)/', '^(web|cli|infra|local|bench|test)/', EMULATORS],
      },
    },
    {
      name: 'adapters-below-use-cases',
      comment:
        'tasks/adapters implement ports: they never call use cases or handlers, nor anything above tasks.',
      severity: 'error',
      from: { path: '^tasks/adapters/' },
      to: { path: ['^tasks/(use-cases|handlers)/', '^(web|cli|infra|local|bench|test)/', EMULATORS] },
    },
    {
      name: 'tasks-import-nothing-above',
      comment:
        'tasks/ (handlers included) is below web/, cli/ and infra/: a web or CLI entry belongs to its own folder.',
      severity: 'error',
      from: { path: '^tasks/' },
      to: { path: '^(web|cli|infra|local|bench|test)/' },
    },
    {
      name: 'contracts-are-plain',
      comment:
        'workflows/contracts (stages, callback schemas, the function list) is plain data shared by every layer: ' +
        'it imports only itself and zod, never CDK, the SDK, tasks, web, cli or infra.',
      severity: 'error',
      from: { path: '^workflows/contracts/' },
      to: {
        path: [
          SDK_OR_CDK,
          '^(tasks|web|cli|infra|local|bench|test)/',
          '^workflows/(?!contracts/)',
          EMULATORS,
        ],
      },
    },
    {
      name: 'workflows-import-no-app',
      comment:
        'workflows/ (the CDK constructs of the state machine) knows the contracts, not the code behind them.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(tasks|web|cli|infra|local|bench|test)/' },
    },
    {
      name: 'web-and-cli-apart',
      comment:
        'web/ and cli/ are two faces of the same use cases: what both need lives below them, in tasks/.',
      severity: 'error',
      from: { path: '^(web|cli)/' },
      to: { path: '^(web|cli)/', pathNot: '^$1/' },
    },
    {
      name: 'sdk-only-in-adapters',
      comment:
        'Outside tasks/adapters the application reaches AWS through ports; CDK belongs to infra/ and workflows/ ' +
        '(the AWS Lambda type definitions and Powertools are not SDK clients).',
      severity: 'error',
      from: { path: '^(tasks/(?!adapters/)|web/|cli/)' },
      to: { path: SDK_OR_CDK },
    },
    {
      name: 'app-imports-no-emulator',
      comment:
        'The deployed code never depends on the local stand-ins (sfn-local, the marketplace simulator, the local ' +
        'EventBridge), not even through local/: only the local stack (local/stack*, local/demo*, local/in-memory), ' +
        'bench/ and tests wire them in.',
      severity: 'error',
      from: { path: APP },
      to: { path: [EMULATORS, '^local/'] },
    },
    {
      name: 'emulators-import-no-app',
      comment:
        'The emulators know nothing of onboarding: no import of tasks, web, workflows, cli, infra, local (the stack ' +
        'that runs them), bench or test.',
      severity: 'error',
      from: { path: EMULATORS },
      to: { path: ['^(tasks|web|workflows|cli|infra|local|bench|test)/', '^[^/]+\\.ts'], pathNot: EMULATORS },
    },
    {
      name: 'bench-and-test-apart',
      comment:
        'Benchmarks and tests do not import each other; what both use lives in the code they measure or test.',
      severity: 'error',
      from: { path: '^(bench|test)/' },
      to: { path: '^(bench|test)/', pathNot: '^$1/' },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycle that exists at run time. A cycle closed only by a type-only import (import type, or a ' +
        "type import('...')) is erased by TypeScript and allowed: sfn-local has two (api/context.ts <-> " +
        'api/paging.ts, runtime.ts <-> api/test-state.ts); engine/execution.ts <-> engine/states.ts, the one known ' +
        'when this rule was written, is gone.',
      severity: 'error',
      from: {},
      to: {
        circular: true,
        dependencyTypesNot: ['type-only', 'type-import'],
        viaOnly: { dependencyTypesNot: ['type-only', 'type-import'] },
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^packages/[^/]+/dist/', '^cdk\\.out/', '^\\.data/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
