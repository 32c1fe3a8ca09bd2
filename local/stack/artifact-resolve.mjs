/**
 * Module resolution hooks of an artifact worker (artifact-worker.mjs): a bare specifier imported by the bundle
 * itself resolves only if it is a Node built-in or provided by the Lambda runtime (`@aws-sdk/*`); the runtime's own
 * packages then resolve their dependencies as usual. Anything else fails with ERR_MODULE_NOT_FOUND, as in Lambda,
 * where /var/task holds only the bundle.
 */
import { isBuiltin } from 'node:module';

let assetUrl = '';
let runtimeProvided = [];

export function initialize(data) {
  assetUrl = data.assetUrl;
  runtimeProvided = data.runtimeProvided.map(
    (pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
  );
}

const isBare = (specifier) => !/^(\.|\/|file:|data:|node:)/.test(specifier);
const packageOf = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

export async function resolve(specifier, context, next) {
  if (
    context.parentURL?.startsWith(assetUrl) &&
    isBare(specifier) &&
    !isBuiltin(specifier) &&
    !runtimeProvided.some((p) => p.test(specifier) || p.test(packageOf(specifier)))
  ) {
    const error = new Error(
      `Cannot find package '${specifier}' imported from ${context.parentURL}: the bundle does not contain it and ` +
        'the Lambda runtime provides only the AWS SDK v3',
    );
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
