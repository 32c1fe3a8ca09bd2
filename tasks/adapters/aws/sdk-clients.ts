const resets = new Set<() => void>();

/** A value made on first use and then shared (SDK clients: one per process, created only if used). */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  resets.add(() => {
    value = undefined;
  });
  return () => {
    value ??= make();
    return value;
  };
}

/**
 * Forgets every shared client: the next use creates a new one from the current environment (a local stack started
 * again in the same process on other ports). Compositions built before keep the clients they hold.
 */
export function resetClients(): void {
  for (const reset of resets) reset();
}

type Env = Record<string, string | undefined>;

export function regionOf(env: Env): string {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** AWS Marketplace Catalog, Entitlement and Agreement APIs live in us-east-1 only. */
export const MARKETPLACE_REGION = 'us-east-1';

/** A port this function does not have (its IAM access does not include it): using it says so clearly. */
export function unavailable<T extends object>(port: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) => {
      if (prop === 'then') return undefined;
      return () => {
        throw new Error(`the ${port} port is not available in this function (${String(prop)})`);
      };
    },
  });
}
