/**
 * Loading a conformance folder: `manifest.json` (`cases[].file` relative to it) when present, else every `*.json`
 * file below the folder that looks like a case (has `definition` and `expected`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { z } from 'zod';

const TaskEntry = z
  .object({
    kind: z.enum(['succeed', 'fail', 'timeout', 'pending']),
    output: z.unknown().optional(),
    submitted: z.unknown().optional(),
    error: z.string().optional(),
    cause: z.string().optional(),
    request: z.record(z.string(), z.unknown()).optional(),
    mapIteration: z.number().optional(),
  })
  .passthrough();

const CallbackEntry = z
  .object({
    kind: z.enum(['heartbeat', 'success', 'failure', 'none']),
    output: z.unknown().optional(),
    error: z.string().optional(),
    cause: z.string().optional(),
  })
  .passthrough();

const ExpectedEvent = z
  .object({
    type: z.string(),
    id: z.unknown(),
    previousEventId: z.unknown().optional(),
    detailsKey: z.string().optional().nullable(),
    details: z.unknown().optional(),
  })
  .passthrough();

export const CaseSchema = z
  .object({
    id: z.string().optional(),
    definition: z.record(z.string(), z.unknown()),
    input: z.unknown().optional(),
    tasks: z.record(z.string(), z.array(TaskEntry)).optional().default({}),
    callbacks: z.record(z.string(), z.array(CallbackEntry)).optional().default({}),
    actions: z
      .array(z.object({ kind: z.string(), whenStateEntered: z.string().optional() }).passthrough())
      .optional(),
    expected: z
      .object({
        status: z.string(),
        output: z.unknown().optional(),
        error: z.unknown().optional(),
        cause: z.unknown().optional(),
        events: z.array(ExpectedEvent).default([]),
        eventOrder: z.string().optional(),
      })
      .passthrough(),
    wildcards: z.array(z.string()).optional().default([]),
    resources: z.array(z.object({ kind: z.string(), name: z.string().optional() }).passthrough()).optional(),
    notes: z.string().optional(),
  })
  .passthrough();

export type ConformanceCase = z.infer<typeof CaseSchema>;
export type TaskReplay = z.infer<typeof TaskEntry>;
export type CallbackReplay = z.infer<typeof CallbackEntry>;

export interface LoadedCase {
  /** File name (basename) used for --out. */
  fileName: string;
  /** Path relative to the folder, for messages. */
  relPath: string;
  id: string;
  data?: ConformanceCase;
  loadError?: string;
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (name.endsWith('.json') && name !== 'manifest.json') out.push(p);
  }
}

function load(folder: string, file: string): LoadedCase {
  const relPath = relative(folder, file);
  const base: LoadedCase = { fileName: basename(file), relPath, id: relPath };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ...base, loadError: `cannot read: ${(e as Error).message}` };
  }
  const parsed = CaseSchema.safeParse(raw);
  if (!parsed.success)
    return { ...base, loadError: `not a case: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  return { ...base, id: parsed.data.id ?? relPath, data: parsed.data };
}

export function loadCases(folder: string): LoadedCase[] {
  const manifest = join(folder, 'manifest.json');
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { cases?: { file: string }[] };
    if (Array.isArray(m.cases)) {
      return m.cases.map((c) => load(folder, join(dirname(manifest), c.file)));
    }
  }
  const files: string[] = [];
  walk(folder, files);
  return files
    .map((f) => load(folder, f))
    .filter((c) => c.data !== undefined || !c.loadError?.startsWith('not a case'));
}
