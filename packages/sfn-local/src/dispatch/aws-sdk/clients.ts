/**
 * AWS SDK v3 clients for Step Functions service names (`dynamodb`, `sesv2`, `marketplacecatalog`, ...): finds the
 * installed `@aws-sdk/client-*` package, its client class and `<Action>Command`, and builds one client per service
 * with the configured endpoint, region and credentials.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface SdkCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SdkClientsOptions {
  /** Endpoint per Step Functions service name, e.g. `{ dynamodb: 'http://127.0.0.1:8000' }`. `'*'` is the fallback. */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** @default the region of the request */
  readonly region?: string;
  /** @default dummy credentials (`local` / `local`) */
  readonly credentials?: SdkCredentials;
  /** SDK attempts per call (Step Functions' own SDK retries too). @default 3 */
  readonly maxAttempts?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK modules are loaded by name at run time
export type SdkModule = Record<string, any>;

export interface SdkCommandConstructor {
  // biome-ignore lint/suspicious/noExplicitAny: command inputs differ per action
  new (input: any): { schema?: unknown };
}

export interface SdkClient {
  // biome-ignore lint/suspicious/noExplicitAny: outputs differ per action
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<any>;
  destroy(): void;
  // biome-ignore lint/suspicious/noExplicitAny: the smithy middleware stack
  middlewareStack: any;
}

export interface ResolvedService {
  readonly service: string;
  readonly packageName: string;
  readonly module: SdkModule;
  readonly client: SdkClient;
}

/** Step Functions names whose SDK package name is not the name with dashes removed. */
const PACKAGE_ALIASES: Record<string, string> = {
  events: '@aws-sdk/client-eventbridge',
  states: '@aws-sdk/client-sfn',
  stepfunctions: '@aws-sdk/client-sfn',
  cloudwatchlogs: '@aws-sdk/client-cloudwatch-logs',
};

/** Alternative keys under which an endpoint for a service may be configured. */
const ENDPOINT_ALIASES: Record<string, readonly string[]> = {
  events: ['eventbridge'],
  eventbridge: ['events'],
  ses: ['sesv2'],
  sesv2: ['ses'],
  sfn: ['states', 'stepfunctions'],
};

export class SdkServiceNotAvailable extends Error {
  override readonly name = 'SdkServiceNotAvailable';
}

export class SdkClients {
  private readonly services = new Map<string, Promise<ResolvedService>>();
  private installed: readonly string[] | undefined;
  /** Folder of each installed client package. */
  private readonly folders = new Map<string, string>();

  constructor(private readonly options: SdkClientsOptions = {}) {}

  /** Resolves a service's package and client; rejects with {@link SdkServiceNotAvailable} when it cannot. */
  get(service: string, region: string): Promise<ResolvedService> {
    const key = `${service}@${region}`;
    let resolved = this.services.get(key);
    if (!resolved) {
      resolved = this.load(service, region);
      resolved.catch(() => this.services.delete(key));
      this.services.set(key, resolved);
    }
    return resolved;
  }

  endpointFor(service: string): string | undefined {
    const endpoints = this.options.endpoints ?? {};
    for (const key of [service, ...(ENDPOINT_ALIASES[service] ?? [])]) {
      const endpoint = endpoints[key];
      if (endpoint) return endpoint;
    }
    return endpoints['*'];
  }

  destroy(): void {
    for (const resolved of this.services.values()) {
      resolved.then((r) => r.client.destroy()).catch(() => undefined);
    }
    this.services.clear();
  }

  private async load(service: string, region: string): Promise<ResolvedService> {
    const endpoint = this.endpointFor(service);
    if (!endpoint) {
      throw new SdkServiceNotAvailable(
        `No endpoint configured for service '${service}'; the local runtime calls only configured endpoints (e.g. --endpoint ${service}=http://127.0.0.1:<port>)`,
      );
    }
    const packageName = this.packageFor(service);
    if (!packageName) {
      throw new SdkServiceNotAvailable(
        `No AWS SDK package for service '${service}' is installed (looked for @aws-sdk/client-${service} and similar names)`,
      );
    }
    const module = (await import(packageName)) as SdkModule;
    const clientName = Object.keys(module).find(
      (name) =>
        name !== '__Client' && name.endsWith('Client') && typeof module[name]?.prototype?.send === 'function',
    );
    if (!clientName) throw new SdkServiceNotAvailable(`${packageName} exports no client class`);
    const ClientClass = module[clientName] as new (config: object) => SdkClient;
    const client = new ClientClass({
      endpoint,
      region: this.options.region ?? region,
      credentials: this.options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: this.options.maxAttempts ?? 3,
    });
    return { service, packageName, module, client };
  }

  /**
   * Why `aws-sdk:<service>:<action>` can never run here (no SDK package for the service is installed, or the
   * package has no `<Action>Command`), or undefined. Synchronous and cheap: it looks at the installed packages'
   * files (`dist-types/commands/<Action>Command.d.ts`) without loading them; an unknown layout is not rejected.
   */
  unsupported(service: string, action: string): string | undefined {
    const packageName = this.packageFor(service);
    if (!packageName) {
      return `No AWS SDK package for service '${service}' is installed (looked for @aws-sdk/client-${service} and similar names; npm install it)`;
    }
    const folder = this.folders.get(packageName);
    const commands = folder ? join(folder, 'dist-types', 'commands') : undefined;
    if (!commands || !existsSync(commands)) return undefined;
    const command = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
    if (existsSync(join(commands, `${command}.d.ts`))) return undefined;
    return `${packageName} has no command for action '${action}' (${command})`;
  }

  private packageFor(service: string): string | undefined {
    const alias = PACKAGE_ALIASES[service];
    const installed = this.installedClients();
    if (alias && installed.includes(alias)) return alias;
    const wanted = service.toLowerCase().replaceAll('-', '');
    return installed.find((pkg) => {
      const bare = pkg.slice('@aws-sdk/client-'.length).replaceAll('-', '');
      return bare === wanted || bare === `${wanted}service` || bare.replace(/service$/, '') === wanted;
    });
  }

  private installedClients(): readonly string[] {
    if (this.installed) return this.installed;
    const require = createRequire(import.meta.url);
    const found = new Set<string>();
    for (const dir of require.resolve.paths('@aws-sdk/client-sfn') ?? []) {
      try {
        for (const entry of readdirSync(join(dir, '@aws-sdk'))) {
          const name = `@aws-sdk/${entry}`;
          if (!entry.startsWith('client-') || found.has(name)) continue;
          found.add(name);
          this.folders.set(name, join(dir, '@aws-sdk', entry));
        }
      } catch {
        // no @aws-sdk folder here
      }
    }
    this.installed = [...found];
    return this.installed;
  }
}

/** `sendEmail` → `SendEmailCommand` from the service's module, or undefined. */
export function commandFor(module: SdkModule, action: string): SdkCommandConstructor | undefined {
  const name = `${action.charAt(0).toUpperCase()}${action.slice(1)}Command`;
  const command = module[name];
  return typeof command === 'function' ? (command as SdkCommandConstructor) : undefined;
}
