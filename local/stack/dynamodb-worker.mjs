/**
 * dynalite in a worker thread: DynamoDB emulation is CPU-heavy (request validation, LevelDB), and in its own thread
 * it runs on another core than the runtime, the handlers and the web app. A worker dies with its process, so a
 * crashed stack never leaves an orphan holding the port. Plain JavaScript: a worker needs no loader this way.
 */
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const { port, host, dir } = workerData;
if (dir) mkdirSync(dir, { recursive: true });
const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once('error', (error) => parentPort?.postMessage({ error: error.message, code: error.code }));
server.listen(port, host, () => {
  const address = server.address();
  parentPort?.postMessage({ port: typeof address === 'object' && address ? address.port : port });
});
parentPort?.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort?.postMessage('closed'));
});
