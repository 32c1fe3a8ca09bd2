/**
 * One Lambda function per entry of workflows/contracts/functions.ts, each with its own role (inline, least-privilege
 * statements from its `access` list, no managed policies), its own log group, X-Ray tracing, ARM64 and the current
 * Node.js runtime. Each CloudFormation function carries `Metadata: { 'mo:function': <catalog name> }`.
 *
 * Code: a real esbuild bundle (infra/bundling.ts; the AWS SDK comes from the pinned runtime) when the handler file
 * exists. When it does not exist yet, or when `bundling` is false (tests, the local stack: no esbuild at all), the
 * function gets a placeholder that fails every invocation with a clear message; a missing handler also puts a warning
 * on the synth output.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '../workflows/contracts/functions.js';
import { type AccessTargets, environmentFor, statementsFor } from './access.js';
import { ARCHITECTURE, BUNDLING, NODE_RUNTIME, runtimeManagement } from './bundling.js';

/** The repository root (infra/..). */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

/** Memory of a function whose catalog entry names none. */
export const DEFAULT_MEMORY_MB = 256;

/** CloudFormation metadata key that names a function's catalog entry. */
export const FUNCTION_METADATA_KEY = 'mo:function';

export interface TaskFunctionsProps {
  readonly targets: AccessTargets;
  /** Prefix of every function name (the stack name). */
  readonly namePrefix: string;
  readonly logRetention: logs.RetentionDays;
  /**
   * false: no esbuild; every function gets the placeholder code (tests, the local stack).
   * @default true
   */
  readonly bundling?: boolean;
  /**
   * The catalog to build.
   * @default FUNCTIONS from workflows/contracts/functions.ts
   */
  readonly specs?: readonly FunctionSpec[];
  /** @default PROJECT_ROOT */
  readonly projectRoot?: string;
}

export class TaskFunctions extends Construct {
  readonly functions: Record<FunctionName, lambda.Function>;
  readonly roles: Record<FunctionName, iam.Role>;
  /** Catalog names whose handler file did not exist (placeholder code deployed). */
  readonly missingHandlers: string[] = [];

  constructor(scope: Construct, id: string, props: TaskFunctionsProps) {
    super(scope, id);
    const functions: Record<string, lambda.Function> = {};
    const roles: Record<string, iam.Role> = {};
    for (const spec of props.specs ?? FUNCTIONS) {
      const { fn, role } = this.create(spec, props);
      functions[spec.name] = fn;
      roles[spec.name] = role;
    }
    this.functions = functions as Record<FunctionName, lambda.Function>;
    this.roles = roles as Record<FunctionName, iam.Role>;
  }

  private create(spec: FunctionSpec, props: TaskFunctionsProps): { fn: lambda.Function; role: iam.Role } {
    const functionName = `${props.namePrefix}-${spec.name}`;
    if (functionName.length > 64) {
      throw new Error(
        `TaskFunctions: function name ${functionName} is ${functionName.length} characters; 64 at most`,
      );
    }
    const scope = new Construct(this, spec.name);
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(scope, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: ${spec.access.join(', ')}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    for (const access of new Set(spec.access)) {
      for (const statement of statementsFor(scope, access, props.targets)) role.addToPolicy(statement);
    }

    const common = {
      functionName,
      description: spec.description.slice(0, 256),
      runtime: NODE_RUNTIME,
      runtimeManagementMode: runtimeManagement(props.targets.config.lambdaRuntimeVersionArn),
      architecture: ARCHITECTURE,
      memorySize: spec.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: environmentFor(spec, props.targets),
    };
    const root = props.projectRoot ?? PROJECT_ROOT;
    const entry = join(root, spec.entry);
    const bundle = (props.bundling ?? true) && existsSync(entry);
    if ((props.bundling ?? true) && !bundle) {
      this.missingHandlers.push(spec.name);
      Annotations.of(scope).addWarningV2(
        'mo:missing-handler',
        `${spec.entry} does not exist yet: ${functionName} gets placeholder code that fails every invocation`,
      );
    }
    const fn = bundle
      ? new NodejsFunction(scope, 'Function', {
          ...common,
          entry,
          handler: 'handler',
          projectRoot: root,
          depsLockFilePath: join(root, 'package-lock.json'),
          bundling: BUNDLING,
        })
      : new lambda.Function(scope, 'Function', {
          ...common,
          handler: 'index.handler',
          code: lambda.Code.fromInline(placeholder(spec)),
        });
    (fn.node.defaultChild as lambda.CfnFunction).addMetadata(FUNCTION_METADATA_KEY, spec.name);
    return { fn, role };
  }
}

/** Code of a function whose handler is not bundled: fails loudly instead of pretending. */
function placeholder(spec: FunctionSpec): string {
  const message = `${spec.name}: placeholder code; ${spec.entry} was not bundled into this deployment`;
  return `exports.handler = async () => { throw new Error(${JSON.stringify(message)}); };`;
}
