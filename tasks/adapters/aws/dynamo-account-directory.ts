/**
 * SaaS accounts and users: `ACCOUNT#<id>/META`, `USER#<id>/META`, `EMAIL#<email>/USER` (unique e-mail),
 * `USER#<id>/MEMBER#<accountId>` (membership). Writes are conditional or idempotent, so a retried call converges.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Membership, normalizeEmail, type SaasAccount, type SaasUser } from '../../domain/account.js';
import type { Invitation } from '../../domain/invitation.js';
import {
  type AccountDirectory,
  applyPaidPlanChange,
  type PaidPlanChange,
} from '../../ports/account-directory.js';
import { ONBOARDING_TABLE } from '../../table.js';
import { isConditionalFailure, keys, queryAll } from './dynamo-common.js';

const invitationKey = (hash: string) => ({ pk: `INVITE#${hash}`, sk: 'META' });

export class DynamoAccountDirectory implements AccountDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: () => string,
  ) {}

  async createAccount(account: SaasAccount, owner: SaasUser) {
    let created = true;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName(),
          Item: { ...keys.account(account.id), type: 'account', account, plan: account.plan },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      created = false;
    }
    // the owner and the membership are (re)written either way, so a retry after a partial failure completes it
    const user = (await this.findUserByEmail(owner.email)) ?? owner;
    if (user === owner) await this.putUser(owner);
    if (created) await this.addMember({ userId: user.id, accountId: account.id, role: 'owner' });
    return created ? ('created' as const) : ('exists' as const);
  }

  async getAccount(accountId: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName(), Key: keys.account(accountId), ConsistentRead: true }),
    );
    return r.Item?.account as SaasAccount | undefined;
  }

  async putUser(user: SaasUser) {
    const email = normalizeEmail(user.email);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName(),
          Item: { ...keys.email(email), type: 'email', userId: user.id },
          ConditionExpression: 'attribute_not_exists(pk) OR userId = :id',
          ExpressionAttributeValues: { ':id': user.id },
        }),
      );
    } catch (err) {
      if (isConditionalFailure(err)) throw new Error(`e-mail ${email} already belongs to another user`);
      throw err;
    }
    await this.db.send(
      new PutCommand({
        TableName: this.tableName(),
        Item: { ...keys.user(user.id), type: 'user', user: { ...user, email } },
      }),
    );
  }

  async getUser(userId: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName(), Key: keys.user(userId), ConsistentRead: true }),
    );
    return r.Item?.user as SaasUser | undefined;
  }

  async findUserByEmail(email: string) {
    const r = await this.db.send(
      new GetCommand({
        TableName: this.tableName(),
        Key: keys.email(normalizeEmail(email)),
        ConsistentRead: true,
      }),
    );
    return typeof r.Item?.userId === 'string' ? this.getUser(r.Item.userId) : undefined;
  }

  async addMember(m: Membership) {
    await this.db
      .send(
        new PutCommand({
          TableName: this.tableName(),
          Item: { ...keys.membership(m.userId, m.accountId), type: 'membership', membership: m },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionalFailure(err)) throw err;
      });
  }

  async listAccountsForUser(userId: string) {
    const memberships = await queryAll(this.db, {
      TableName: this.tableName(),
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)',
      ExpressionAttributeValues: { ':p': `USER#${userId}`, ':m': 'MEMBER#' },
      ConsistentRead: true,
    });
    const ids = memberships.map((i) => (i.membership as Membership).accountId);
    if (!ids.length) return [];
    const accounts: SaasAccount[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName()]: { Keys: ids.slice(i, i + 100).map((id) => keys.account(id)) },
      };
      while (request && Object.keys(request).length) {
        const got = await this.db.send(new BatchGetCommand({ RequestItems: request }));
        accounts.push(...(got.Responses?.[this.tableName()] ?? []).map((x) => x.account as SaasAccount));
        request = got.UnprocessedKeys as typeof request;
      }
    }
    return accounts.sort((a, b) => a.name.localeCompare(b.name));
  }

  async activatePaidPlan(accountId: string, paid: NonNullable<SaasAccount['paidPlan']>) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName(),
          Key: keys.account(accountId),
          UpdateExpression: 'SET #plan = :paid, #account.#plan = :paid, #account.paidPlan = :p',
          ConditionExpression: 'attribute_exists(pk) AND #plan <> :paid',
          ExpressionAttributeNames: { '#plan': 'plan', '#account': 'account' },
          ExpressionAttributeValues: { ':paid': 'paid', ':p': paid },
        }),
      );
      return 'activated' as const;
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      if (!(await this.getAccount(accountId))) throw new Error(`account ${accountId} does not exist`);
      return 'already-active' as const;
    }
  }

  async changePaidPlan(accountId: string, change: PaidPlanChange) {
    // read, apply, write back only if the plan did not change in between (optimistic, on the plan's state)
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.getAccount(accountId);
      if (!current) throw new Error(`account ${accountId} does not exist`);
      const next = applyPaidPlanChange(current, change);
      if (!next) return 'unchanged' as const;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName(),
            Key: keys.account(accountId),
            UpdateExpression: 'SET #plan = :plan, #account = :next',
            ConditionExpression: 'attribute_exists(pk) AND #plan = :was',
            ExpressionAttributeNames: { '#plan': 'plan', '#account': 'account' },
            ExpressionAttributeValues: { ':plan': next.plan, ':next': next, ':was': current.plan },
          }),
        );
        return 'changed' as const;
      } catch (err) {
        if (!isConditionalFailure(err)) throw err;
      }
    }
    throw new Error(`account ${accountId} kept changing; try again`);
  }

  async putInvitation(invitation: Invitation) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName(),
        Item: {
          ...invitationKey(invitation.hash),
          type: 'invitation',
          invitation,
          // DynamoDB TTL removes it a day after it expired
          [ONBOARDING_TABLE.timeToLiveAttribute]:
            Math.floor(Date.parse(invitation.expiresAt) / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getInvitation(hash: string) {
    const r = await this.db.send(
      new GetCommand({ TableName: this.tableName(), Key: invitationKey(hash), ConsistentRead: true }),
    );
    return r.Item?.invitation as Invitation | undefined;
  }

  async useInvitation(hash: string, at: string) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName(),
          Key: invitationKey(hash),
          UpdateExpression: 'SET #i.usedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#i.usedAt)',
          ExpressionAttributeNames: { '#i': 'invitation' },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }
}
