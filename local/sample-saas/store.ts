/**
 * The sample vendor SaaS's own data: its users, its tenants (the procedure's "アカウント") and the answers it gave
 * per idempotency key. Kept in one JSON file under the stack's data folder, written atomically after each change,
 * so a restart of `npm start` keeps what the vendor had (as a real SaaS would).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../../tasks/domain/password.js';

const SaasUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  passwordHash: z.string().optional(),
  /** SHA-256 of the single-use invitation secret, and when it lapses (ISO). */
  invitation: z.object({ hash: z.string(), expiresAt: z.string() }).optional(),
});
export type SaasUser = z.infer<typeof SaasUser>;

const SaasTenant = z.object({
  tenantId: z.string(),
  name: z.string(),
  status: z.enum(['free', 'paid', 'suspended', 'ended']),
  plan: z.string().optional(),
  members: z.array(z.string()),
  /** The marketplace reference of the paid plan (what a vendor keeps to meter or check entitlements). */
  marketplace: z.record(z.string(), z.string()).optional(),
  /** The idempotency key of the request that created it (a retry after a crash finds its own tenant by it). */
  createdByKey: z.string().optional(),
  /** What happened to the tenant, newest last (shown on the tenant page). */
  history: z.array(z.object({ at: z.string(), what: z.string() })),
});
export type SaasTenant = z.infer<typeof SaasTenant>;

const Replay = z.object({ operation: z.string(), status: z.number(), body: z.unknown() });
export type Replay = z.infer<typeof Replay>;

const Data = z.object({
  users: z.array(SaasUser),
  tenants: z.array(SaasTenant),
  replays: z.record(z.string(), Replay),
});
type Data = z.infer<typeof Data>;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface DemoUser {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  readonly tenants: readonly { id: string; name: string }[];
}

export class SaasStore {
  private data: Data;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string | undefined,
    data: Data,
  ) {
    this.data = data;
  }

  /** The store in `dir` (kept across restarts), or in memory when `dir` is undefined. */
  static async open(dir: string | undefined, demo: readonly DemoUser[] = []): Promise<SaasStore> {
    const file = dir ? path.join(dir, 'sample-saas.json') : undefined;
    if (dir) await mkdir(dir, { recursive: true });
    const data =
      file && existsSync(file)
        ? Data.parse(JSON.parse(readFileSync(file, 'utf8')))
        : { users: [], tenants: [], replays: {} };
    const store = new SaasStore(file, data);
    for (const user of demo) await store.addUser(user);
    return store;
  }

  /** A user with a password and the tenants they belong to (demo data); nothing if the e-mail is known already. */
  async addUser(demo: DemoUser): Promise<void> {
    if (this.userByEmail(demo.email)) return;
    const id = `usr-${randomUUID()}`;
    this.data.users.push({
      id,
      email: demo.email,
      name: demo.name,
      passwordHash: await hashPassword(demo.password),
    });
    for (const t of demo.tenants) {
      this.data.tenants.push({
        tenantId: t.id,
        name: t.name,
        status: 'free',
        members: [id],
        history: [{ at: new Date().toISOString(), what: 'created (demo data)' }],
      });
    }
    await this.save();
  }

  /** Writes the whole file atomically; writes are serialized. */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const text = JSON.stringify(this.data, null, 2);
    this.writing = this.writing.then(async () => {
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, file);
    });
    return this.writing;
  }

  userByEmail(email: string): SaasUser | undefined {
    const e = email.trim().toLowerCase();
    return this.data.users.find((u) => u.email.toLowerCase() === e);
  }

  userById(id: string): SaasUser | undefined {
    return this.data.users.find((u) => u.id === id);
  }

  /** The user whose password this is, or undefined (the same hashing work either way). */
  async signIn(email: string, password: string): Promise<SaasUser | undefined> {
    const user = this.userByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!ok || !user?.passwordHash) return undefined;
    if (needsRehash(user.passwordHash)) {
      user.passwordHash = await hashPassword(password);
      await this.save();
    }
    return user;
  }

  tenant(tenantId: string): SaasTenant | undefined {
    return this.data.tenants.find((t) => t.tenantId === tenantId);
  }

  tenantByName(name: string): SaasTenant | undefined {
    const n = name.trim().toLowerCase();
    return this.data.tenants.find((t) => t.name.toLowerCase() === n);
  }

  tenantsOf(userId: string): SaasTenant[] {
    return this.data.tenants.filter((t) => t.members.includes(userId));
  }

  /** A new tenant with a new owner who has no password yet; returns the owner's invitation secret. */
  async createTenant(input: {
    name: string;
    ownerEmail: string;
    ownerName?: string;
    key: string;
    now: Date;
  }): Promise<{ tenant: SaasTenant; owner: SaasUser; invitation: string }> {
    const owner: SaasUser = {
      id: `usr-${randomUUID()}`,
      email: input.ownerEmail,
      ...(input.ownerName ? { name: input.ownerName } : {}),
    };
    const invitation = randomBytes(24).toString('base64url');
    owner.invitation = {
      hash: sha256(invitation),
      expiresAt: new Date(input.now.getTime() + 72 * 3_600_000).toISOString(),
    };
    const tenant: SaasTenant = {
      tenantId: `tnt-${randomUUID().slice(0, 8)}`,
      name: input.name,
      status: 'free',
      members: [owner.id],
      createdByKey: input.key,
      history: [{ at: input.now.toISOString(), what: 'created from AWS Marketplace (7-1)' }],
    };
    this.data.users.push(owner);
    this.data.tenants.push(tenant);
    await this.save();
    return { tenant, owner, invitation };
  }

  /** A fresh invitation for a user who has not set a password yet (the previous link stops working). */
  async reinvite(userId: string, now: Date): Promise<string | undefined> {
    const user = this.userById(userId);
    if (!user || user.passwordHash) return undefined;
    const invitation = randomBytes(24).toString('base64url');
    user.invitation = {
      hash: sha256(invitation),
      expiresAt: new Date(now.getTime() + 72 * 3_600_000).toISOString(),
    };
    await this.save();
    return invitation;
  }

  /** Sets the password of the invitation's user; the invitation is used up. */
  async acceptInvitation(
    secret: string,
    password: string,
    now: Date,
  ): Promise<SaasUser | 'unknown' | 'expired'> {
    const hash = sha256(secret);
    const user = this.data.users.find((u) => u.invitation?.hash === hash);
    if (!user?.invitation) return 'unknown';
    if (Date.parse(user.invitation.expiresAt) < now.getTime()) return 'expired';
    user.passwordHash = await hashPassword(password);
    delete user.invitation;
    await this.save();
    return user;
  }

  async update(
    tenant: SaasTenant,
    change: Partial<SaasTenant>,
    what: string,
    now: Date,
  ): Promise<SaasTenant> {
    Object.assign(tenant, change);
    tenant.history.push({ at: now.toISOString(), what });
    await this.save();
    return tenant;
  }

  replay(key: string): Replay | undefined {
    return this.data.replays[key];
  }

  async remember(key: string, replay: Replay): Promise<void> {
    this.data.replays[key] = replay;
    await this.save();
  }
}
