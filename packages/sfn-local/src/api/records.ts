/**
 * API resources besides state machines and executions, as the store keeps them (JSON documents by kind and ARN).
 */
import type { Store } from '../store/store.js';

export interface VersionRecord {
  arn: string;
  smArn: string;
  version: number;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  revisionId: string;
  description?: string;
  createdMs: number;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
}

export interface RoutingEntry {
  stateMachineVersionArn: string;
  weight: number;
}

export interface AliasRecord {
  arn: string;
  smArn: string;
  name: string;
  description?: string;
  routing: RoutingEntry[];
  createdMs: number;
  updatedMs?: number;
}

export interface ActivityRecord {
  arn: string;
  name: string;
  createdMs: number;
  tags: Record<string, string>;
  encryptionConfiguration?: unknown;
}

interface Kinds {
  version: VersionRecord;
  alias: AliasRecord;
  activity: ActivityRecord;
}

/** Typed access to the store's resource documents. */
export class Resources {
  constructor(private readonly store: Store) {}

  get<K extends keyof Kinds>(kind: K, arn: string): Kinds[K] | undefined {
    return this.store.getResource(kind, arn) as Kinds[K] | undefined;
  }

  put<K extends keyof Kinds>(kind: K, record: Kinds[K]): void {
    this.store.putResource(kind, record.arn, record);
  }

  list<K extends keyof Kinds>(kind: K): Kinds[K][] {
    return this.store.listResources(kind) as Kinds[K][];
  }

  delete(kind: keyof Kinds, arn: string): void {
    this.store.deleteResource(kind, arn);
  }
}
