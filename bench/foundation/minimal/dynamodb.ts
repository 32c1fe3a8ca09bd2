/** A minimal handler with one DynamoDB client at module scope and one GetItem (what a bundled SDK weighs alone). */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const db = new DynamoDBClient({});

export const handler = async (event: { id: string }) =>
  db.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.id } } }));
