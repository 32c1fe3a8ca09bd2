/**
 * asl-validator, made fast enough to run on every CreateStateMachine.
 *
 * asl-validator 4 builds and compiles a new Ajv instance with all its JSON schemas on every call (0.3-1 s).
 * This module compiles those same schemas once and puts the compiled check in place of the package's
 * `jsonSchemaErrors` (its module export, which the validator reads at call time), so every other check of the
 * package (transitions, terminal states, duplicate names, per-state rules) still runs unchanged.
 */
import { createRequire } from 'node:module';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
}
interface AjvValidate {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface AjvInstance {
  addFormat(name: string, fn: (value: string) => boolean): void;
  getSchema(id: string): AjvValidate | undefined;
}

export type AslValidator = (
  definition: unknown,
  opts?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[]; errorsText: (sep?: string) => string };

const SCHEMAS = [
  'common',
  'paths',
  'jsonata',
  'choice',
  'fail',
  'parallel',
  'pass',
  'base-state-machine',
  'state-machine',
  'state',
  'succeed',
  'task',
  'wait',
  'map',
  'errors',
];

const requireHere = createRequire(import.meta.url);
const validatorPath = requireHere.resolve('asl-validator');
const requireAsl = createRequire(validatorPath);

let validator: AslValidator | undefined;

function buildSchemaCheck(): (definition: unknown, options: { checkArn?: boolean }) => unknown[] {
  const ajvModule = requireAsl('ajv') as { default: new (opts: unknown) => AjvInstance };
  const addFormats = (requireAsl('ajv-formats') as { default: (ajv: AjvInstance) => void }).default;
  const jsonata = requireAsl('jsonata') as (expr: string) => unknown;
  const { isArnFormatValid } = requireAsl('./checks/formats') as { isArnFormatValid: (v: string) => boolean };
  const schemas = SCHEMAS.map((name) => requireAsl(`./schemas/${name}.json`));
  const make = (checkArn: boolean): AjvValidate => {
    const ajv = new ajvModule.default({ schemas, allowUnionTypes: true });
    addFormats(ajv);
    const validJsonata = (value: string) => {
      let expr = value.trim();
      expr = expr.startsWith('{%') ? expr.slice(2) : expr;
      expr = expr.endsWith('%}') ? expr.slice(0, -2) : expr;
      try {
        jsonata(expr);
        return true;
      } catch {
        return false;
      }
    };
    ajv.addFormat('jsonata_string', validJsonata);
    ajv.addFormat('maybe_jsonata_string', (v) => {
      const t = v.trim();
      return t.startsWith('{%') || t.endsWith('%}') ? validJsonata(t) : true;
    });
    // Paths are checked by the runtime's own JSONPath parser (definition.ts).
    for (const f of ['asl_path', 'asl_ref_path', 'asl_payload_template', 'asl_result_path'])
      ajv.addFormat(f, () => true);
    ajv.addFormat('asl_arn', checkArn ? isArnFormatValid : () => true);
    const validate = ajv.getSchema('http://asl-validator.cloud/state-machine.json#');
    if (!validate) throw new Error('asl-validator schema not found');
    return validate;
  };
  const compiled = new Map<boolean, AjvValidate>();
  return (definition, options) => {
    const checkArn = options.checkArn !== false;
    let validate = compiled.get(checkArn);
    if (!validate) {
      validate = make(checkArn);
      compiled.set(checkArn, validate);
    }
    if (validate(definition)) return [];
    const errors = validate.errors ?? [];
    // Same selection as asl-validator: the deepest instance paths, oneOf errors preferred.
    let deepest = 0;
    let selected: AjvError[] = [];
    for (const e of errors) {
      const depth = e.instancePath.split('/').length;
      if (depth === deepest) selected.push(e);
      else if (depth > deepest) selected = [e];
      deepest = Math.max(deepest, depth);
    }
    const oneOf = new Set(selected.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
    const seen = new Set<string>();
    return selected
      .filter((e) => e.keyword === 'oneOf' || !oneOf.has(e.instancePath))
      .filter((e) => {
        const key = `${e.schemaPath}\u0001${e.instancePath}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .map((e) => ({
        'Error code': 'SCHEMA_VALIDATION_FAILED',
        Message: `${e.instancePath} is invalid. ${e.message ?? ''}`,
        schemaError: { instancePath: e.instancePath, schemaPath: decodeURIComponent(e.schemaPath) },
      }));
  };
}

/** asl-validator's validator function, with its schema check compiled once. */
export function aslValidator(): AslValidator {
  if (validator) return validator;
  const schemaModule = requireAsl('./checks/json-schema-errors') as { jsonSchemaErrors: unknown };
  schemaModule.jsonSchemaErrors = buildSchemaCheck();
  validator = requireAsl(validatorPath) as AslValidator;
  return validator;
}
