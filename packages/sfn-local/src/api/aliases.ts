/**
 * State machine aliases: a name routing StartExecution to one or two versions by weight
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html). One or two routes,
 * weights 0-100 adding up to 100, versions of one state machine; create and update are idempotent for the same
 * configuration; at most 100 aliases per state machine.
 */
import type * as sfn from '@aws-sdk/client-sfn';
import { parseStateMachineArn, requireUnqualified } from './arns.js';
import { type ApiContext, apiError, pageSize, requireString, slicePage, validationError } from './context.js';
import type { AliasRecord, Resources, RoutingEntry } from './records.js';
import type { Versions } from './versions.js';

export const MAX_ALIASES = 100;
/** AWS's CharacterRestrictedName: letters, digits, `_ - .`, and not only digits (a version number). */
const ALIAS_NAME_RE = /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]{1,80}$/;

export class Aliases {
  constructor(
    private readonly ctx: ApiContext,
    private readonly res: Resources,
    private readonly versions: Versions,
    /** Picks a number in [0, 100) for weighted routing (tests may fix it). */
    private readonly random: () => number = () => Math.random() * 100,
  ) {}

  of(smArn: string): AliasRecord[] {
    return this.res
      .list('alias')
      .filter((a) => a.smArn === smArn)
      .sort((a, b) => a.createdMs - b.createdMs || a.name.localeCompare(b.name));
  }

  require(arn: string): AliasRecord {
    const alias = this.res.get('alias', arn);
    if (!alias) throw apiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return alias;
  }

  referencing(versionArn: string): string[] {
    return this.res
      .list('alias')
      .filter((a) => a.routing.some((r) => r.stateMachineVersionArn === versionArn))
      .map((a) => a.arn);
  }

  /** The version an execution started through this alias runs (weighted random choice). */
  route(alias: AliasRecord): string {
    const [first, second] = alias.routing;
    if (!first) throw apiError('ResourceNotFound', `Alias has no routing: '${alias.arn}'`);
    if (!second) return first.stateMachineVersionArn;
    return this.random() < first.weight ? first.stateMachineVersionArn : second.stateMachineVersionArn;
  }

  deleteAllOf(smArn: string): void {
    for (const a of this.of(smArn)) this.res.delete('alias', a.arn);
  }

  #routing(config: readonly sfn.RoutingConfigurationListItem[] | undefined): {
    smArn: string;
    routing: RoutingEntry[];
  } {
    const list = config ?? [];
    if (list.length < 1 || list.length > 2) {
      throw validationError(
        `Value at 'routingConfiguration' failed to satisfy constraint: Member must have length between 1 and 2`,
      );
    }
    const routing: RoutingEntry[] = [];
    let smArn: string | undefined;
    for (const [i, item] of list.entries()) {
      const ref = parseStateMachineArn(
        item.stateMachineVersionArn,
        `routingConfiguration.${i + 1}.member.stateMachineVersionArn`,
      );
      if (ref.kind !== 'version') {
        throw validationError(`Routing configuration must reference state machine versions: '${ref.arn}'`);
      }
      const weight = item.weight;
      if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100) {
        throw validationError(
          `Value '${String(weight)}' at 'routingConfiguration.${i + 1}.member.weight' failed to satisfy constraint: Member must have value between 0 and 100`,
        );
      }
      if (smArn !== undefined && smArn !== ref.smArn) {
        throw validationError('Routing configuration must reference versions of the same state machine');
      }
      smArn = ref.smArn;
      if (routing.some((r) => r.stateMachineVersionArn === ref.arn)) {
        throw validationError('Routing configuration must contain distinct state machine versions');
      }
      this.versions.require(ref.arn);
      routing.push({ stateMachineVersionArn: ref.arn, weight });
    }
    if (routing.reduce((sum, r) => sum + r.weight, 0) !== 100) {
      throw validationError('Sum of routing configuration weights must be equal to 100');
    }
    return { smArn: smArn as string, routing };
  }

  // API ------------------------------------------------------------------------------------------------------------

  createStateMachineAlias(input: sfn.CreateStateMachineAliasInput): sfn.CreateStateMachineAliasOutput {
    const name = requireString(input.name, 'name');
    if (!ALIAS_NAME_RE.test(name)) {
      throw validationError(
        `Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$`,
      );
    }
    const { smArn, routing } = this.#routing(input.routingConfiguration);
    if (!this.ctx.store.getStateMachine(smArn)) {
      throw apiError('ResourceNotFound', `Resource not found: '${smArn}'`);
    }
    const arn = `${smArn}:${name}`;
    const existing = this.res.get('alias', arn);
    if (existing) {
      if (existing.description === input.description && sameRouting(existing.routing, routing)) {
        return { stateMachineAliasArn: arn, creationDate: new Date(existing.createdMs) };
      }
      throw apiError('ConflictException', `Alias already exists with another configuration: '${arn}'`);
    }
    if (this.of(smArn).length >= MAX_ALIASES) {
      throw apiError(
        'ServiceQuotaExceededException',
        `Maximum number of aliases (${MAX_ALIASES}) reached for state machine ${smArn}`,
      );
    }
    const alias: AliasRecord = {
      arn,
      smArn,
      name,
      routing,
      createdMs: this.ctx.clock.now(),
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    this.res.put('alias', alias);
    return { stateMachineAliasArn: arn, creationDate: new Date(alias.createdMs) };
  }

  updateStateMachineAlias(input: sfn.UpdateStateMachineAliasInput): sfn.UpdateStateMachineAliasOutput {
    const arn = this.#aliasArn(input.stateMachineAliasArn);
    const alias = this.require(arn);
    if (input.description === undefined && input.routingConfiguration === undefined) {
      throw validationError('Either the description or the routingConfiguration must be specified');
    }
    if (input.routingConfiguration !== undefined) {
      const { smArn, routing } = this.#routing(input.routingConfiguration);
      if (smArn !== alias.smArn) {
        throw validationError('Routing configuration must reference versions of the alias state machine');
      }
      alias.routing = routing;
    }
    if (input.description !== undefined) alias.description = input.description;
    alias.updatedMs = this.ctx.clock.now();
    this.res.put('alias', alias);
    return { updateDate: new Date(alias.updatedMs) };
  }

  deleteStateMachineAlias(input: sfn.DeleteStateMachineAliasInput): sfn.DeleteStateMachineAliasOutput {
    const arn = this.#aliasArn(input.stateMachineAliasArn);
    this.require(arn);
    this.res.delete('alias', arn);
    return {};
  }

  describeStateMachineAlias(input: sfn.DescribeStateMachineAliasInput): sfn.DescribeStateMachineAliasOutput {
    const alias = this.require(this.#aliasArn(input.stateMachineAliasArn));
    return {
      stateMachineAliasArn: alias.arn,
      name: alias.name,
      routingConfiguration: alias.routing.map((r) => ({ ...r })),
      creationDate: new Date(alias.createdMs),
      ...(alias.description !== undefined ? { description: alias.description } : {}),
      ...(alias.updatedMs !== undefined ? { updateDate: new Date(alias.updatedMs) } : {}),
    };
  }

  listStateMachineAliases(input: sfn.ListStateMachineAliasesInput): sfn.ListStateMachineAliasesOutput {
    const smArn = requireUnqualified(input.stateMachineArn);
    if (!this.ctx.store.getStateMachine(smArn)) {
      throw apiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${smArn}'`);
    }
    const limit = pageSize(input.maxResults);
    const query = { op: 'ListStateMachineAliases', smArn };
    const offset = this.ctx.pages.read<number>(query, input.nextToken) ?? 0;
    const page = slicePage(this.of(smArn), offset, limit);
    return {
      stateMachineAliases: page.items.map((a) => ({
        stateMachineAliasArn: a.arn,
        creationDate: new Date(a.createdMs),
      })),
      ...(page.next !== undefined ? { nextToken: this.ctx.pages.issue(query, page.next) } : {}),
    };
  }

  #aliasArn(value: unknown): string {
    const ref = parseStateMachineArn(value, 'stateMachineAliasArn');
    if (ref.kind !== 'alias') {
      throw apiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${ref.arn}'`);
    }
    return ref.arn;
  }
}

function sameRouting(a: readonly RoutingEntry[], b: readonly RoutingEntry[]): boolean {
  const key = (list: readonly RoutingEntry[]) =>
    JSON.stringify(
      [...list].sort((x, y) => x.stateMachineVersionArn.localeCompare(y.stateMachineVersionArn)),
    );
  return key(a) === key(b);
}
