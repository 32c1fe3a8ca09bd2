/**
 * Configuration of the local stack: ports, data folder, host. Flags win over environment variables, which win over
 * the defaults. Every value is validated; a bad one stops the stack with a message that names it.
 */
import path from 'node:path';
import { z } from 'zod';

export const SERVICES = {
  web: { port: 3000, label: 'Web (console, buyer pages, inquiry form)' },
  states: { port: 8083, label: 'Step Functions API' },
  dynamodb: { port: 8000, label: 'DynamoDB (dynalite)' },
  ses: { port: 8005, label: 'SES (aws-ses-v2-local, inbox)' },
  marketplace: { port: 8084, label: 'AWS Marketplace simulator' },
  events: { port: 8085, label: 'EventBridge (local bus)' },
  s3: { port: 8086, label: 'S3 (audit archive, s3rver)' },
  secrets: { port: 8087, label: "Secrets Manager (the template's secrets)" },
  saas: { port: 8088, label: 'Sample vendor SaaS (OpenID provider, provisioning API)' },
} as const;
export type ServiceName = keyof typeof SERVICES;

/**
 * The services people open in a browser (buyer pages and console, the marketplace's buyer side, the inbox, the
 * vendor's sign-in): `--host` binds them. The rest (the Step Functions API, which has no authentication, DynamoDB,
 * S3, EventBridge, Secrets Manager) stay on loopback whatever --host says.
 */
export const PUBLIC_SERVICES: ReadonlySet<ServiceName> = new Set(['web', 'marketplace', 'ses', 'saas']);
export const LOOPBACK = '127.0.0.1';

/** The address a service listens on. */
export function hostOf(config: Pick<StackConfig, 'host'>, service: ServiceName): string {
  return PUBLIC_SERVICES.has(service) ? config.host : LOOPBACK;
}
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

export interface StackConfig {
  readonly host: string;
  /** Absolute path of the data folder; every service keeps its data below it. */
  readonly dataDir: string;
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** Print progress and the URL table. @default true */
  readonly verbose: boolean;
  /**
   * The vendor's SaaS: `sample` (the stand-in of local/sample-saas: its OpenID sign-in for 7-2 and its provisioning
   * API, the real flow) or `built-in` (the embedded directory and sign-in). @default 'sample'
   */
  readonly vendor: StackVendor;
  /** With `--vendor-url`: the vendor's own provisioning API (webhook mode, built-in sign-in), e.g. a receiver in development. */
  readonly vendorUrl?: string;
  /**
   * `--artifacts`: run the task functions from the bundles of the synthesized cloud assembly (what `cdk deploy`
   * uploads), each in its own worker with its own environment, instead of from the sources. @default false
   */
  readonly artifacts?: boolean;
  /**
   * Local IAM enforcement (docs/local-iam.md): calls checked against the template's roles. `--no-iam` turns it off.
   * @default true
   */
  readonly iam?: boolean;
}

export const STACK_VENDORS = ['sample', 'built-in'] as const;
export type StackVendor = (typeof STACK_VENDORS)[number];

/**
 * A configuration for tools and tests that start their own stack: every service on a free loopback port, quiet, with
 * the default vendor unless told otherwise.
 */
export function freePortsConfig(
  dataDir: string,
  over: Partial<Omit<StackConfig, 'dataDir'>> = {},
): StackConfig {
  const ports = Object.fromEntries(SERVICE_NAMES.map((s) => [s, 0])) as Record<ServiceName, number>;
  return { host: '127.0.0.1', dataDir, ports, verbose: false, vendor: 'sample', ...over };
}

const Port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535 (0 = any free port)')
  .max(65535, 'must be between 0 and 65535 (0 = any free port)');

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const envName = (service: ServiceName) => `MO_PORT_${service.toUpperCase()}`;

export const USAGE = `Usage: npm start -- [options]

Options:
  --data <dir>            data folder (default .data; env MO_DATA_DIR)
  --host <address>        address the pages people open listen on: web, marketplace, inbox, vendor SaaS (default
                          127.0.0.1; env MO_HOST); the AWS API stand-ins always stay on 127.0.0.1
  --vendor <sample|built-in>
                          the vendor's SaaS: the sample SaaS with its own OpenID sign-in and provisioning API
                          (default), or the built-in directory and sign-in (env MO_VENDOR)
  --vendor-url <url>      your own provisioning API instead (webhook mode; http only on loopback; env MO_VENDOR_URL);
                          it is signed with the secret the local Secrets Manager keeps in <data>/secrets/
${SERVICE_NAMES.map((s) => `${`  --${s}-port <n>`.padEnd(26)}${SERVICES[s].label} (default ${SERVICES[s].port}; env ${envName(s)})`).join('\n')}
  --artifacts             run the task functions from their deployed bundles (esbuild, synthesized once and cached),
                          each with its own environment, instead of from the sources (env MO_ARTIFACTS=1)
  --no-iam                do not check the functions' calls against their roles in the template (env MO_IAM=0)
  --quiet                 no progress output
  --help                  this text

Reset all local data: stop the stack and delete the data folder (rm -rf .data).`;

/** Reads the configuration from command-line flags and the environment. Throws ConfigError on a bad value. */
export function resolveConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): StackConfig | 'help' {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"\n\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'help' || name === 'quiet' || name === 'artifacts' || name === 'no-iam') {
      flags.set(name, true);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new ConfigError(`--${name} needs a value`);
    flags.set(name, value);
  }
  if (flags.has('help')) return 'help';
  const known = new Set([
    'data',
    'host',
    'quiet',
    'artifacts',
    'no-iam',
    'vendor',
    'vendor-url',
    ...SERVICE_NAMES.map((s) => `${s}-port`),
  ]);
  for (const name of flags.keys()) {
    if (!known.has(name)) throw new ConfigError(`unknown option --${name}\n\n${USAGE}`);
  }
  const text = (flag: string, envKey: string) => {
    const v = flags.get(flag);
    return typeof v === 'string' ? v : env[envKey];
  };

  const ports = {} as Record<ServiceName, number>;
  for (const service of SERVICE_NAMES) {
    const raw = text(`${service}-port`, envName(service));
    if (raw === undefined || raw === '') {
      ports[service] = SERVICES[service].port;
      continue;
    }
    const parsed = Port.safeParse(raw);
    if (!parsed.success) {
      throw new ConfigError(`port of ${service} (${JSON.stringify(raw)}) ${parsed.error.issues[0]?.message}`);
    }
    ports[service] = parsed.data;
  }
  const taken = new Map<number, ServiceName>();
  for (const service of SERVICE_NAMES) {
    const port = ports[service];
    const other = taken.get(port);
    if (port !== 0 && other) throw new ConfigError(`${service} and ${other} are both set to port ${port}`);
    taken.set(port, service);
  }
  const host = text('host', 'MO_HOST') ?? '127.0.0.1';
  const dataDir = path.resolve(cwd, text('data', 'MO_DATA_DIR') ?? '.data');
  const vendor = text('vendor', 'MO_VENDOR') ?? 'sample';
  if (!(STACK_VENDORS as readonly string[]).includes(vendor))
    throw new ConfigError(`--vendor must be ${STACK_VENDORS.join(' or ')} (got ${JSON.stringify(vendor)})`);
  const vendorUrl = text('vendor-url', 'MO_VENDOR_URL');
  if (vendorUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(vendorUrl);
    } catch {
      url = undefined;
    }
    const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)))
      throw new ConfigError(
        `--vendor-url must be an https URL, or http on loopback (got ${JSON.stringify(vendorUrl)})`,
      );
    if (flags.has('vendor') && vendor !== 'built-in')
      throw new ConfigError(
        '--vendor-url replaces the sample SaaS: use it alone (or with --vendor built-in)',
      );
  }
  return {
    host,
    dataDir,
    ports,
    verbose: !flags.has('quiet'),
    ...(flags.has('artifacts') || env.MO_ARTIFACTS === '1' ? { artifacts: true } : {}),
    ...(flags.has('no-iam') || env.MO_IAM === '0' ? { iam: false } : {}),
    vendor: vendorUrl !== undefined ? 'built-in' : (vendor as StackVendor),
    ...(vendorUrl !== undefined ? { vendorUrl } : {}),
  };
}
