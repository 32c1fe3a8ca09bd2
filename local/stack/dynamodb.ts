/**
 * DynamoDB on the embedded default: dynalite (LevelDB on disk), with the tables of the synthesized template.
 */
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { localClientConfig } from './aws.js';
import type { CfnTemplate } from './template.js';

export interface LocalDynamoDb {
  readonly url: string;
  close(): Promise<void>;
}

export async function startDynamoDb(options: {
  port: number;
  host: string;
  dir?: string;
}): Promise<LocalDynamoDb> {
  const worker = new Worker(new URL('./dynamodb-worker.mjs', import.meta.url), {
    workerData: { port: options.port, host: options.host, dir: options.dir },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port?: number; error?: string }) =>
      message.port ? resolve(message.port) : reject(new Error(`dynalite: ${message.error}`)),
    );
  }).catch(async (error: unknown) => {
    await worker.terminate(); // a worker that could not listen would otherwise keep the process alive
    throw error;
  });
  return {
    url: `http://${options.host}:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('close');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}

/** One table of the template, as CreateTable input. The local table name is the template's, else the logical id. */
export interface TableDefinition {
  readonly logicalId: string;
  readonly input: CreateTableCommandInput;
}

type Props = Record<string, unknown>;

/** Reads every AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable (TableV2) of a synthesized template. */
export function tablesFromTemplate(template: CfnTemplate): TableDefinition[] {
  const tables: TableDefinition[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::DynamoDB::Table' && resource.Type !== 'AWS::DynamoDB::GlobalTable') continue;
    const p = (resource.Properties ?? {}) as Props;
    const name = typeof p.TableName === 'string' ? p.TableName : logicalId;
    const indexes = (p.GlobalSecondaryIndexes as Props[] | undefined)?.map(
      (index): GlobalSecondaryIndex => ({
        IndexName: index.IndexName as string,
        KeySchema: index.KeySchema as GlobalSecondaryIndex['KeySchema'],
        Projection: (index.Projection as GlobalSecondaryIndex['Projection']) ?? { ProjectionType: 'ALL' },
      }),
    );
    tables.push({
      logicalId,
      input: {
        TableName: name,
        AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
        KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
        BillingMode: 'PAY_PER_REQUEST',
        ...(indexes && indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
      },
    });
  }
  return tables;
}

/** Creates the tables that do not exist yet (a restart keeps the existing ones and their data). */
export async function ensureTables(endpoint: string, tables: readonly TableDefinition[]): Promise<string[]> {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const created: string[] = [];
  try {
    for (const table of tables) {
      try {
        await client.send(new CreateTableCommand(table.input));
        created.push(table.input.TableName as string);
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      await client.send(new DescribeTableCommand({ TableName: table.input.TableName }));
    }
  } finally {
    client.destroy();
  }
  return created;
}
