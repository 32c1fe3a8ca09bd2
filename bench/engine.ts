/**
 * `npm run bench:engine`: the local Step Functions runtime measured side by side with aws-local-stepfunctions,
 * through its HTTP API, and across a SIGKILL. Prints tables of figures (medians of repeated rounds).
 *
 * Options: --quick (smaller runs), --only throughput|callback|restart (repeatable).
 */
import { parseArgs } from 'node:util';
import { measureCallbackLatency, measureHttpBaseline } from './engine/callback-latency.js';
import { choiceLoop, mapOver, passChain } from './engine/definitions.js';
import { measureRestart, type RestartFigures } from './engine/restart.js';
import { formatNumber, median, percentile, table } from './engine/stats.js';
import { measureThroughput } from './engine/throughput.js';

// The SDK's notice about Node 20 (SDK versions after January 2027 need Node 22) would interleave with the tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string', multiple: true } },
});
const quick = values.quick ?? false;
const only = new Set(values.only ?? ['throughput', 'callback', 'restart']);
const log = (line: string) => console.log(line);
const os = await import('node:os');
/** The machine's load average now (the run is long; the load may change under it). */
const loadNow = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

console.log(
  `bench:engine on Node ${process.version}, ${quick ? 'quick' : 'full'} run, ${os.cpus().length} CPUs, ${loadNow()}\n`,
);

if (only.has('throughput')) {
  const rounds = quick ? 3 : 7;
  const cases = [
    { bench: passChain(50), executions: quick ? 100 : 400 },
    { bench: choiceLoop(1000), executions: quick ? 4 : 10 },
    { bench: mapOver(100), executions: quick ? 20 : 100 },
  ];
  for (const concurrency of [1, 8]) {
    const rows: string[][] = [
      [
        'definition',
        'trans/exec',
        'peer t/s',
        'ours mem t/s',
        'ours durable t/s',
        'mem/peer',
        'durable/peer',
        'durable+writer/peer',
        'ratio ranges',
      ],
    ];
    for (const { bench, executions } of cases) {
      log(
        `throughput: ${bench.name}, ${concurrency} in flight, ${rounds} interleaved rounds of ${executions} executions after 2 warm-up rounds`,
      );
      const f = await measureThroughput(bench, { executions, rounds, concurrency });
      const memRatios = f.memory.map((m, i) => m / (f.peer[i] as number));
      const durRatios = f.durable.map((d, i) => d / (f.peer[i] as number));
      const thrRatios = f.threaded.map((d, i) => d / (f.peer[i] as number));
      const range = (r: number[]) => `${formatNumber(Math.min(...r), 2)}-${formatNumber(Math.max(...r), 2)}`;
      rows.push([
        bench.name,
        String(bench.transitions),
        formatNumber(median(f.peer)),
        formatNumber(median(f.memory)),
        formatNumber(median(f.durable)),
        `${formatNumber(median(memRatios), 2)}x`,
        `${formatNumber(median(durRatios), 2)}x`,
        `${formatNumber(median(thrRatios), 2)}x`,
        `mem ${range(memRatios)}, dur ${range(durRatios)}, writer ${range(thrRatios)}`,
      ]);
    }
    console.log(
      `\nState transitions per second, ${concurrency === 1 ? 'executions one after another' : `${concurrency} executions in flight`} ` +
        `(medians of rounds; ratios = median of per-round ratios; targets: in memory >= 1.0x peer, durable >= 0.75x; ` +
        `durable+writer: --writer-thread, SQLite written on a second thread; ${loadNow()})\n`,
    );
    console.log(`${table(rows)}\n`);
  }
}

if (only.has('callback')) {
  const executions = quick ? 200 : 1000;
  const rows: string[][] = [['variant', 'executions', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms']];
  const variants = [
    { label: 'durable (SQLite), HTTP', durable: true, viaHttp: true },
    { label: 'in memory, HTTP', durable: false, viaHttp: true },
    { label: 'durable, in-process call (no HTTP)', durable: true, viaHttp: false },
  ];
  for (const { label, durable, viaHttp } of variants) {
    log(`callback latency: ${executions} executions paused on a task token, ${label}`);
    const latencies = await measureCallbackLatency(executions, durable, viaHttp);
    rows.push([
      label,
      String(executions),
      formatNumber(percentile(latencies, 50), 2),
      formatNumber(percentile(latencies, 90), 2),
      formatNumber(percentile(latencies, 99), 2),
      formatNumber(Math.max(...latencies), 2),
    ]);
  }
  log(
    'callback latency: the same HTTP round trip against a no-op service (the floor of SDK + node:http + machine)',
  );
  const floor = await measureHttpBaseline(executions);
  rows.push([
    'no-op service (HTTP only)',
    String(floor.length),
    formatNumber(percentile(floor, 50), 2),
    formatNumber(percentile(floor, 90), 2),
    formatNumber(percentile(floor, 99), 2),
    formatNumber(Math.max(...floor), 2),
  ]);
  console.log(`\nHTTP SendTaskSuccess -> next task token dispatched (target p99 < 20 ms; ${loadNow()})\n`);
  console.log(`${table(rows)}\n`);
}

if (only.has('restart')) {
  const executions = quick ? 1000 : 10_000;
  const modes = ['normal', 'full'] as const;
  const figures: RestartFigures[] = [];
  for (const durability of modes) {
    log(
      `restart: ${executions} executions paused on task tokens in an sfn-local process (--durability ${durability}), then SIGKILL`,
    );
    figures.push(await measureRestart(executions, log, durability));
  }
  const row = (label: string, value: (r: RestartFigures) => string) => [label, ...figures.map(value)];
  console.log(`\nRestart after SIGKILL (target: 0 lost; ${loadNow()})\n`);
  console.log(
    table([
      ['figure', ...modes.map((m) => `--durability ${m}`)],
      row('paused executions', (r) => String(r.executions)),
      row('setup: start all and see each paused', (r) => `${formatNumber(r.setupMs)} ms`),
      row(
        'spawn -> listening = all resumable (node + tsx boot, recovery)',
        (r) => `${formatNumber(r.restartToListeningMs)} ms`,
      ),
      row('runtime recovery (as it reports)', (r) => r.recoveryReported),
      row('spawn -> ListExecutions shows all RUNNING', (r) => `${formatNumber(r.restartToAllListedMs)} ms`),
      row(
        `then SendTaskSuccess for all (32 in flight)`,
        (r) => `${formatNumber(r.restartToAllResumedMs - r.restartToAllListedMs)} ms`,
      ),
      row('SendTaskSuccess failures', (r) => String(r.sendTaskSuccessFailures)),
      row('SUCCEEDED after restart', (r) => String(r.succeededAfterRestart)),
      row('lost', (r) => String(r.lost)),
    ]),
  );
  console.log('');
}
