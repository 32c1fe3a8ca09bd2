/**
 * What a rule target receives: the whole event, a constant `Input`, the part selected by `InputPath`, or the
 * text built by an `InputTransformer` (InputPathsMap + InputTemplate), as EventBridge does.
 */
import { InvalidEventPatternError } from './errors.js';

export interface InputTransformer {
  readonly inputPathsMap?: Readonly<Record<string, string>>;
  readonly inputTemplate: string;
}

export interface TargetInputSpec {
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: InputTransformer;
}

export interface RuleContext {
  readonly ruleName: string;
  readonly ruleArn: string;
}

const PATH_SEGMENT = /^(?:\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/** Parses `$`, `$.detail.agreement.id`, `$.detail-type`, `$.resources[0]`, `$['a b']` into segments. */
export function parseJsonPath(path: string): Array<string | number> {
  if (!path.startsWith('$')) throw new InvalidEventPatternError(path, 'a JSON path starts with $');
  const segments: Array<string | number> = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const m = PATH_SEGMENT.exec(rest);
    if (!m) throw new InvalidEventPatternError(path, `cannot read the path at "${rest}"`);
    segments.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4] ?? ''));
    rest = rest.slice(m[0].length);
  }
  return segments;
}

export function readJsonPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const segment of parseJsonPath(path)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Checks a target's input settings once, when the bus starts, so a bad rule fails loudly. */
export function validateTargetInput(spec: TargetInputSpec, where: string): void {
  const given = [spec.input, spec.inputPath, spec.inputTransformer].filter((x) => x !== undefined).length;
  if (given > 1) throw new Error(`${where}: use only one of Input, InputPath, InputTransformer`);
  if (spec.input !== undefined) {
    try {
      JSON.parse(spec.input);
    } catch {
      throw new Error(`${where}: Input must be valid JSON text, got ${JSON.stringify(spec.input)}`);
    }
  }
  if (spec.inputPath !== undefined) parseJsonPath(spec.inputPath);
  for (const p of Object.values(spec.inputTransformer?.inputPathsMap ?? {})) parseJsonPath(p);
}

/** Builds the payload delivered to a target for one event. */
export function targetPayload(
  spec: TargetInputSpec,
  event: Record<string, unknown>,
  rule: RuleContext,
): unknown {
  if (spec.input !== undefined) return JSON.parse(spec.input);
  if (spec.inputPath !== undefined) return readJsonPath(event, spec.inputPath) ?? null;
  if (spec.inputTransformer !== undefined) return transform(spec.inputTransformer, event, rule);
  return event;
}

function transform(t: InputTransformer, event: Record<string, unknown>, rule: RuleContext): unknown {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(t.inputPathsMap ?? {}))
    values.set(name, readJsonPath(event, path));
  values.set('aws.events.rule-arn', rule.ruleArn);
  values.set('aws.events.rule-name', rule.ruleName);
  values.set('aws.events.event.ingestion-time', event.time);
  values.set('aws.events.event', event);
  values.set('aws.events.event.json', event);

  const template = t.inputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c === '<') {
      const close = template.indexOf('>', i);
      const name = close > i ? template.slice(i + 1, close) : '';
      if (values.has(name)) {
        const v = values.get(name);
        if (inString) {
          const text = typeof v === 'string' ? v : JSON.stringify(v ?? null);
          out += JSON.stringify(text).slice(1, -1);
        } else {
          out += JSON.stringify(v ?? null);
        }
        i = close;
        continue;
      }
    }
    if (c === '"' && template[i - 1] !== '\\') inString = !inString;
    out += c;
  }
  try {
    return JSON.parse(out);
  } catch {
    return out;
  }
}
