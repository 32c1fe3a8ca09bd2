/**
 * CreateStateMachine, UpdateStateMachine (both may publish a version), DescribeStateMachine (a version ARN describes
 * that version), ListStateMachines and DeleteStateMachine (which stops the machine's running executions and removes
 * its versions and aliases, https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachine.html).
 */
import { randomUUID } from 'node:crypto';
import type * as sfn from '@aws-sdk/client-sfn';
import { DefinitionError, definitionProblems } from '../definition.js';
import type { StateMachineRecord } from '../engine/types.js';
import type { Aliases } from './aliases.js';
import { parseStateMachineArn, requireUnqualified } from './arns.js';
import {
  type ApiContext,
  apiError,
  pageSize,
  requireName,
  requireString,
  slicePage,
  validationError,
} from './context.js';
import { checkTagCount, tagMap } from './tags.js';
import type { Versions } from './versions.js';

const MAX_DEFINITION_BYTES = 1_048_576;

export class StateMachines {
  constructor(
    private readonly ctx: ApiContext,
    private readonly versions: Versions,
    private readonly aliases: Aliases,
  ) {}

  require(arn: string): StateMachineRecord {
    const sm = this.ctx.store.getStateMachine(arn);
    if (!sm) throw apiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  /** Checks a definition as CreateStateMachine does (InvalidDefinition with every problem). */
  checkDefinition(definition: unknown, type: 'STANDARD' | 'EXPRESS'): string {
    const text = requireString(definition, 'definition');
    if (Buffer.byteLength(text) > MAX_DEFINITION_BYTES) {
      throw apiError('InvalidDefinition', 'Invalid State Machine Definition: definition is larger than 1 MB');
    }
    let problems: string[];
    try {
      problems = definitionProblems(text, type, this.ctx.unsupportedIntegration);
    } catch (e) {
      if (e instanceof DefinitionError) throw apiError('InvalidDefinition', e.message);
      throw apiError('InvalidDefinition', `Invalid State Machine Definition: '${String(e)}'`);
    }
    if (problems.length) {
      // One problem: 'CODE: message at /path'; several: each quoted, ''A', 'B'' (as Step Functions lists them).
      const listed = problems.length === 1 ? problems[0] : `'${problems.join("', '")}'`;
      throw apiError('InvalidDefinition', `Invalid State Machine Definition: '${listed}'`);
    }
    return text;
  }

  createStateMachine(input: sfn.CreateStateMachineInput): sfn.CreateStateMachineOutput {
    const name = requireName(input.name);
    const type = input.type ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') {
      throw validationError(
        `Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
      );
    }
    if (input.versionDescription !== undefined && input.publish !== true) {
      throw validationError('Version description can only be set when publish is true');
    }
    const definition = this.checkDefinition(input.definition, type);
    const roleArn = input.roleArn ?? this.ctx.defaultRoleArn;
    const arn = `arn:aws:states:${this.ctx.region}:${this.ctx.accountId}:stateMachine:${name}`;
    const existing = this.ctx.store.getStateMachine(arn);
    if (existing) {
      // Idempotent for the same definition, role and type (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html).
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
        const out: sfn.CreateStateMachineOutput = {
          stateMachineArn: arn,
          creationDate: new Date(existing.createdMs),
        };
        if (input.publish)
          out.stateMachineVersionArn = this.versions.publish(existing, input.versionDescription).arn;
        return out;
      }
      throw apiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const tags = tagMap(input.tags);
    checkTagCount(tags, arn);
    const now = this.ctx.clock.now();
    const sm: StateMachineRecord = {
      arn,
      name,
      definition,
      roleArn,
      type,
      createdMs: now,
      revisionId: randomUUID(),
      loggingConfiguration: input.loggingConfiguration,
      tracingConfiguration: input.tracingConfiguration,
      tags,
    };
    this.ctx.store.putStateMachine(sm);
    const out: sfn.CreateStateMachineOutput = { stateMachineArn: arn, creationDate: new Date(now) };
    if (input.publish) out.stateMachineVersionArn = this.versions.publish(sm, input.versionDescription).arn;
    return out;
  }

  updateStateMachine(input: sfn.UpdateStateMachineInput): sfn.UpdateStateMachineOutput {
    const arn = requireUnqualified(input.stateMachineArn);
    const sm = this.require(arn);
    if (
      input.definition === undefined &&
      input.roleArn === undefined &&
      input.loggingConfiguration === undefined &&
      input.tracingConfiguration === undefined &&
      input.publish !== true
    ) {
      throw apiError(
        'MissingRequiredParameter',
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
      );
    }
    if (input.versionDescription !== undefined && input.publish !== true) {
      throw validationError('Version description can only be set when publish is true');
    }
    const changed =
      (input.definition !== undefined && input.definition !== sm.definition) ||
      (input.roleArn !== undefined && input.roleArn !== sm.roleArn) ||
      input.loggingConfiguration !== undefined ||
      input.tracingConfiguration !== undefined;
    if (input.definition !== undefined) sm.definition = this.checkDefinition(input.definition, sm.type);
    if (input.roleArn !== undefined) sm.roleArn = input.roleArn;
    if (input.loggingConfiguration !== undefined) sm.loggingConfiguration = input.loggingConfiguration;
    if (input.tracingConfiguration !== undefined) sm.tracingConfiguration = input.tracingConfiguration;
    if (changed) {
      sm.updatedMs = this.ctx.clock.now();
      sm.revisionId = randomUUID();
      this.ctx.store.putStateMachine(sm);
    }
    const out: sfn.UpdateStateMachineOutput = {
      updateDate: new Date(sm.updatedMs ?? sm.createdMs),
      revisionId: sm.revisionId,
    };
    if (input.publish) out.stateMachineVersionArn = this.versions.publish(sm, input.versionDescription).arn;
    return out;
  }

  describeStateMachine(input: sfn.DescribeStateMachineInput): sfn.DescribeStateMachineOutput {
    const ref = parseStateMachineArn(input.stateMachineArn);
    if (ref.kind === 'version') {
      const version = this.versions.get(ref.arn);
      if (!version) throw apiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${ref.arn}'`);
      return this.versions.describe(version, this.ctx.store.getStateMachine(ref.smArn));
    }
    if (ref.kind === 'alias') {
      throw apiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${ref.arn}'`);
    }
    return this.describe(this.require(ref.arn));
  }

  describe(sm: StateMachineRecord): sfn.DescribeStateMachineOutput {
    return {
      stateMachineArn: sm.arn,
      name: sm.name,
      status: 'ACTIVE',
      definition: sm.definition,
      roleArn: sm.roleArn,
      type: sm.type,
      creationDate: new Date(sm.createdMs),
      loggingConfiguration: (sm.loggingConfiguration as sfn.LoggingConfiguration) ?? {
        level: 'OFF',
        includeExecutionData: false,
      },
      tracingConfiguration: (sm.tracingConfiguration as sfn.TracingConfiguration) ?? { enabled: false },
      revisionId: sm.revisionId,
      ...(sm.description ? { description: sm.description } : {}),
    };
  }

  listStateMachines(input: sfn.ListStateMachinesInput = {}): sfn.ListStateMachinesOutput {
    const limit = pageSize(input.maxResults);
    const query = { op: 'ListStateMachines' };
    const offset = this.ctx.pages.read<number>(query, input.nextToken) ?? 0;
    const all = this.ctx.store
      .listStateMachines()
      .sort((a, b) => a.createdMs - b.createdMs || a.name.localeCompare(b.name));
    const page = slicePage(all, offset, limit);
    return {
      stateMachines: page.items.map((sm) => ({
        stateMachineArn: sm.arn,
        name: sm.name,
        type: sm.type,
        creationDate: new Date(sm.createdMs),
      })),
      ...(page.next !== undefined ? { nextToken: this.ctx.pages.issue(query, page.next) } : {}),
    };
  }

  /**
   * Deletes the state machine with its versions and aliases. Its running executions are stopped (AWS terminates
   * them at their next state transition); deleting a machine that does not exist succeeds.
   */
  async deleteStateMachine(input: sfn.DeleteStateMachineInput): Promise<sfn.DeleteStateMachineOutput> {
    const arn = requireUnqualified(input.stateMachineArn);
    const stops: Promise<void>[] = [];
    for (const exec of this.ctx.engine.running.values()) {
      if (exec.record.smArn !== arn) continue;
      const stopping = this.ctx.engine.stop(
        exec.record.arn,
        'States.Runtime',
        `The state machine ${arn} was deleted`,
      );
      if (stopping) stops.push(stopping);
    }
    await Promise.all(stops);
    this.aliases.deleteAllOf(arn);
    this.versions.deleteAllOf(arn);
    this.ctx.store.deleteStateMachine(arn);
    return {};
  }
}
