import { randomBytes } from "node:crypto";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  type CopyChange,
  type CopyKeeper,
  createDynamoClients,
  type DynamoClients,
  type RegistrationKey,
  type TableDefinition,
  type UserCopySource,
} from "@tablelab/core";
import { ensureTable } from "@tablelab/core/local";
import { inject } from "vitest";

/**
 * A small real world for the stream consumer's tests, on DynamoDB Local: one streamed table holding users
 * (`USER#id` / `PROFILE`: name, revision, updatedAt) and, in the same partition, their registrations
 * (`USER#id` / `REG#eventId`) carrying a copy of the name (`userName`, `userRevision`) — the single-table shape
 * in miniature. Its keeper is a real CopyKeeper over that table (conditional UpdateItems), not a mock.
 */
export const worldTable = {
  id: "StreamWorld",
  fields: { pk: "string", sk: "string" },
  primaryIndex: { hashKey: "pk", rangeKey: "sk" },
  globalIndexes: {},
} as const satisfies TableDefinition;

export interface StreamWorld {
  clients: DynamoClients;
  table: string;
  keeper: CopyKeeper;
  createUser(userId: string, name: string): Promise<void>;
  /** Renames the user: revision + 1, updatedAt now (what the stores do). */
  renameUser(userId: string, name: string): Promise<void>;
  register(userId: string, eventId: string): Promise<void>;
  copiesOf(userId: string): Promise<{ eventId: string; userName?: string; userRevision?: number }[]>;
  user(userId: string): Promise<{ name: string; revision: number }>;
}

export function testClients(): DynamoClients {
  return createDynamoClients({
    endpoint: inject("dynamoEndpoint"),
    maxSockets: 32,
    connectionTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
  });
}

/** A fresh streamed table (or one without a stream, for the refusal test). */
export async function createStreamWorld(label: string, options: { stream?: boolean } = {}): Promise<StreamWorld> {
  const clients = testClients();
  const table = `${label}-${randomBytes(4).toString("hex")}`;
  await ensureTable(clients.client, worldTable, table, { stream: options.stream ?? true });
  const { document } = clients;
  const userKey = (userId: string) => ({ pk: `USER#${userId}`, sk: "PROFILE" });

  const keeper: CopyKeeper = {
    async *registrationsOfUser(userId) {
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await document.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :reg)",
            ExpressionAttributeValues: { ":pk": `USER#${userId}`, ":reg": "REG#" },
            ExclusiveStartKey: cursor,
            ConsistentRead: true,
          }),
        );
        yield (page.Items ?? []).map((item) => ({ userId, eventId: String(item.sk).slice(4) }));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    },
    async *registrationsOfEvent() {},
    async writeUserCopy(key: RegistrationKey, source: UserCopySource) {
      await document.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: `USER#${key.userId}`, sk: `REG#${key.eventId}` },
          UpdateExpression: "SET userName = :name, userRevision = :revision",
          ConditionExpression:
            "attribute_exists(pk) AND (attribute_not_exists(userRevision) OR userRevision < :revision)",
          ExpressionAttributeValues: { ":name": source.name, ":revision": source.revision },
        }),
      );
    },
    async writeEventCopy() {
      throw new Error("this world has no events");
    },
    changeFromRecord(recordTable, oldImage, newImage): CopyChange | null {
      if (recordTable !== table || newImage?.sk !== "PROFILE" || oldImage?.name === newImage.name) return null;
      return {
        kind: "user",
        source: {
          userId: String(newImage.pk).slice("USER#".length),
          name: String(newImage.name),
          revision: Number(newImage.revision),
        },
      };
    },
  };

  return {
    clients,
    table,
    keeper,
    async createUser(userId, name) {
      await document.send(
        new PutCommand({
          TableName: table,
          Item: { ...userKey(userId), name, revision: 1, updatedAt: new Date().toISOString() },
        }),
      );
    },
    async renameUser(userId, name) {
      await document.send(
        new UpdateCommand({
          TableName: table,
          Key: userKey(userId),
          UpdateExpression: "SET #name = :name, updatedAt = :now ADD revision :one",
          ExpressionAttributeNames: { "#name": "name" },
          ExpressionAttributeValues: { ":name": name, ":now": new Date().toISOString(), ":one": 1 },
        }),
      );
    },
    async register(userId, eventId) {
      await document.send(new PutCommand({ TableName: table, Item: { pk: `USER#${userId}`, sk: `REG#${eventId}` } }));
    },
    async copiesOf(userId) {
      const page = await document.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :reg)",
          ExpressionAttributeValues: { ":pk": `USER#${userId}`, ":reg": "REG#" },
          ConsistentRead: true,
        }),
      );
      return (page.Items ?? []).map((item) => ({
        eventId: String(item.sk).slice(4),
        userName: item.userName,
        userRevision: item.userRevision,
      }));
    },
    async user(userId) {
      const { Item } = await document.send(
        new GetCommand({ TableName: table, Key: userKey(userId), ConsistentRead: true }),
      );
      return { name: String(Item?.name), revision: Number(Item?.revision) };
    },
  };
}
