/**
 * One function of the synthesized cloud assembly in its own worker thread, as a Lambda sandbox runs it: the bundle
 * (`<asset>/index.mjs`) imported by plain Node (no TypeScript loader, no source tree), with the function's own
 * environment as `process.env` (the Worker's `env`), invoked with a Lambda-like context. Plain JavaScript: a worker
 * needs no loader this way.
 *
 * A bare import from the bundle resolves only when the Lambda runtime would provide it (the AWS SDK v3, left
 * external by infra/bundling.ts): anything else the bundler left out fails here as it would in Lambda, instead of
 * being found in the project's node_modules (artifact-resolve.mjs).
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { file, handlerName, assetDir, runtimeProvided } = workerData;
register(new URL('./artifact-resolve.mjs', import.meta.url), {
  data: { assetUrl: pathToFileURL(`${assetDir}/`).href, runtimeProvided },
});

const loaded = import(pathToFileURL(file).href).then((module) => {
  const handler = module[handlerName];
  if (typeof handler !== 'function')
    throw new Error(`${file} exports no function "${handlerName}" (the template's Handler)`);
  return handler;
});
// A failed import is reported on the first invocation (as Lambda's Runtime.ImportModuleError), not as an unhandled rejection.
loaded.catch(() => undefined);

/** What the Lambda Node.js runtime reports for a thrown value. */
function errorBody(thrown) {
  if (thrown instanceof Error)
    return { name: thrown.name || 'Error', message: thrown.message, stack: thrown.stack ?? '' };
  return { name: typeof thrown, message: String(thrown), stack: '' };
}

parentPort.on('message', async ({ id, event, context }) => {
  let handler;
  try {
    handler = await loaded;
  } catch (error) {
    const body = errorBody(error);
    parentPort.postMessage({
      id,
      ok: false,
      error: { ...body, name: 'Runtime.ImportModuleError', message: `${body.name}: ${body.message}` },
    });
    return;
  }
  try {
    const lambdaContext = {
      ...context,
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    const result = await handler(event, lambdaContext);
    parentPort.postMessage({ id, ok: true, result: JSON.stringify(result ?? null) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: errorBody(error) });
  }
});
