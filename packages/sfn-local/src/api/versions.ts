/**
 * State machine versions: immutable snapshots of a revision
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html). Numbers grow from 1
 * and are never reused; publishing a revision that already has a version returns that version; at most 1,000 per
 * state machine; a version an alias routes to cannot be deleted.
 */
import type * as sfn from '@aws-sdk/client-sfn';
import type { StateMachineRecord } from '../engine/types.js';
import { parseStateMachineArn, requireUnqualified } from './arns.js';
import { type ApiContext, apiError, pageSize, slicePage, validationError } from './context.js';
import type { Resources, VersionRecord } from './records.js';

export const MAX_VERSIONS = 1000;

export class Versions {
  constructor(
    private readonly ctx: ApiContext,
    private readonly res: Resources,
  ) {}

  /** Publishes the current revision of `sm` (or returns the version that already holds it). */
  publish(sm: StateMachineRecord, description?: string, revisionId?: string): VersionRecord {
    if (revisionId !== undefined && revisionId !== sm.revisionId) {
      throw apiError(
        'ConflictException',
        `Failed to publish the State Machine version for revision ${revisionId}. The current State Machine revision is ${sm.revisionId}.`,
      );
    }
    const versions = this.of(sm.arn);
    const existing = versions.find((v) => v.revisionId === sm.revisionId);
    if (existing) {
      if (description !== undefined && description !== existing.description) {
        throw apiError(
          'ConflictException',
          `Version ${existing.arn} already exists for revision ${sm.revisionId} with another description`,
        );
      }
      return existing;
    }
    if (versions.length >= MAX_VERSIONS) {
      throw apiError(
        'ServiceQuotaExceededException',
        `Maximum number of versions (${MAX_VERSIONS}) reached for state machine ${sm.arn}; delete unused versions`,
      );
    }
    const number = (sm.lastVersion ?? 0) + 1;
    sm.lastVersion = number;
    this.ctx.store.putStateMachine(sm);
    const version: VersionRecord = {
      arn: `${sm.arn}:${number}`,
      smArn: sm.arn,
      version: number,
      definition: sm.definition,
      roleArn: sm.roleArn,
      type: sm.type,
      revisionId: sm.revisionId,
      createdMs: this.ctx.clock.now(),
      ...(description !== undefined ? { description } : {}),
      ...(sm.loggingConfiguration !== undefined ? { loggingConfiguration: sm.loggingConfiguration } : {}),
      ...(sm.tracingConfiguration !== undefined ? { tracingConfiguration: sm.tracingConfiguration } : {}),
    };
    this.res.put('version', version);
    return version;
  }

  /** Versions of a state machine, newest first. */
  of(smArn: string): VersionRecord[] {
    return this.res
      .list('version')
      .filter((v) => v.smArn === smArn)
      .sort((a, b) => b.version - a.version);
  }

  get(arn: string): VersionRecord | undefined {
    return this.res.get('version', arn);
  }

  require(arn: string): VersionRecord {
    const version = this.get(arn);
    if (!version) throw apiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return version;
  }

  describe(v: VersionRecord, sm: StateMachineRecord | undefined): sfn.DescribeStateMachineOutput {
    return {
      stateMachineArn: v.arn,
      name: sm?.name ?? v.smArn.slice(v.smArn.lastIndexOf(':') + 1),
      status: 'ACTIVE',
      definition: v.definition,
      roleArn: v.roleArn,
      type: v.type,
      creationDate: new Date(v.createdMs),
      loggingConfiguration: (v.loggingConfiguration as sfn.LoggingConfiguration) ?? {
        level: 'OFF',
        includeExecutionData: false,
      },
      tracingConfiguration: (v.tracingConfiguration as sfn.TracingConfiguration) ?? { enabled: false },
      revisionId: v.revisionId,
      ...(v.description !== undefined ? { description: v.description } : {}),
    };
  }

  deleteAllOf(smArn: string): void {
    for (const v of this.of(smArn)) this.res.delete('version', v.arn);
  }

  // API ------------------------------------------------------------------------------------------------------------

  publishStateMachineVersion(
    input: sfn.PublishStateMachineVersionInput,
  ): sfn.PublishStateMachineVersionOutput {
    const smArn = requireUnqualified(input.stateMachineArn);
    const sm = this.ctx.store.getStateMachine(smArn);
    if (!sm) throw apiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${smArn}'`);
    const v = this.publish(sm, input.description, input.revisionId);
    return { stateMachineVersionArn: v.arn, creationDate: new Date(v.createdMs) };
  }

  listStateMachineVersions(input: sfn.ListStateMachineVersionsInput): sfn.ListStateMachineVersionsOutput {
    const smArn = requireUnqualified(input.stateMachineArn);
    const limit = pageSize(input.maxResults);
    const query = { op: 'ListStateMachineVersions', smArn };
    const offset = this.ctx.pages.read<number>(query, input.nextToken) ?? 0;
    const page = slicePage(this.of(smArn), offset, limit);
    return {
      stateMachineVersions: page.items.map((v) => ({
        stateMachineVersionArn: v.arn,
        creationDate: new Date(v.createdMs),
      })),
      ...(page.next !== undefined ? { nextToken: this.ctx.pages.issue(query, page.next) } : {}),
    };
  }

  deleteStateMachineVersion(
    input: sfn.DeleteStateMachineVersionInput,
    aliasesReferencing: (versionArn: string) => string[],
  ): sfn.DeleteStateMachineVersionOutput {
    const ref = parseStateMachineArn(input.stateMachineVersionArn, 'stateMachineVersionArn');
    if (ref.kind !== 'version') {
      throw validationError(
        `Value '${ref.arn}' at 'stateMachineVersionArn' failed to satisfy constraint: Member must be a state machine version ARN`,
      );
    }
    const aliases = aliasesReferencing(ref.arn);
    if (aliases.length > 0) {
      throw apiError(
        'ConflictException',
        `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${aliases.join(', ')}]`,
      );
    }
    // Deleting a version that does not exist succeeds, as in AWS; running executions of it go on.
    this.res.delete('version', ref.arn);
    return {};
  }
}
