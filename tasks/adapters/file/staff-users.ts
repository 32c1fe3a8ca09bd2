/**
 * The users-file adapter of the staff sign-in port: staff users in a local JSON file (the embedded default, and the
 * CLI's identities). The password is a hash of tasks/domain/password.ts (its older `scrypt$N$r$p$…` still verifies):
 * { "users": [ { "id": "alice", "name": "Alice", "role": "sales", "password": "$scrypt$ln=14,r=8,p=1$..." } ] }
 * The file is read on every sign-in, so users added with `npm run onboarding -- add-user` work at once.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { StaffRole } from '../../../workflows/contracts/index.js';
import {
  dummyHash,
  hashPassword,
  isPasswordHash,
  needsRehash,
  verifyPassword,
} from '../../domain/password.js';
import type { PasswordAuth, StaffIdentity } from '../../ports/staff-auth.js';

export const StaffUser = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'id must be 1-64 lowercase letters, digits, . _ @ -'),
  name: z.string().trim().min(1, 'name is required').max(200),
  role: StaffRole,
  password: z.string().refine(isPasswordHash, 'password must be an scrypt hash (use add-user)'),
});
export type StaffUser = z.infer<typeof StaffUser>;

export const UsersFile = z.object({ users: z.array(StaffUser) });

export async function readUsersFile(path: string): Promise<StaffUser[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = UsersFile.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`Invalid users file ${path}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data.users;
}

/** Adds a user, or replaces the one with the same id (new password, name, role). */
export async function addUser(
  path: string,
  user: { id: string; name: string; role: StaffRole },
  password: string,
): Promise<void> {
  const entry = StaffUser.parse({ ...user, password: await hashPassword(password) });
  const users = (await readUsersFile(path)).filter((u) => u.id !== entry.id);
  users.push(entry);
  await writeUsersFile(path, users);
}

async function writeUsersFile(path: string, users: StaffUser[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
  await chmod(path, 0o600);
}

export function usersFileAuth(path: string): PasswordAuth {
  return {
    kind: 'password',
    async verifyPassword(username: string, password: string): Promise<StaffIdentity | undefined> {
      const user = (await readUsersFile(path)).find((u) => u.id === username.trim().toLowerCase());
      // the same scrypt work whether or not the user exists (no user enumeration by timing)
      const ok = await verifyPassword(password, user?.password ?? (await dummyHash()));
      if (!user || !ok) return undefined;
      if (needsRehash(user.password)) {
        // an older format or a lower cost: store the password at today's cost (the rest of the file as it is now)
        const now = await readUsersFile(path);
        const rehashed = await hashPassword(password);
        await writeUsersFile(
          path,
          now.map((u) =>
            u.id === user.id && u.password === user.password ? { ...u, password: rehashed } : u,
          ),
        );
      }
      return { id: user.id, name: user.name, role: user.role };
    },
    async currentRole(id: string) {
      return (await readUsersFile(path)).find((u) => u.id === id)?.role;
    },
  };
}
