import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { applyCopyChange } from "../copies/fan-out.js";
import { EmailTakenError, ForbiddenError, NotFoundError, TooManyCopiesError } from "../domain/errors.js";
import {
  type CreateUserInput,
  LIMITS,
  normalizeEmail,
  type StoredUser,
  type UpdateUserInput,
} from "../domain/schemas.js";
import { retryOnConflict, TransactionConflict } from "../dynamo/retry.js";
import type { Item, Key } from "./batch.js";
import { ALL_OLD, type MultiTableContext } from "./context.js";
import { userCopySource } from "./copy-keeper.js";
import { conditionFailure, names } from "./dynamo.js";
import { toUser } from "./mapping.js";

/**
 * The users table (AP1–AP4). Every write of a user item adds one to its hidden `revision` (1 at creation), the
 * order its name copies are written in.
 */

/** AP1 — 1 GetItem. */
export async function getUser(ctx: MultiTableContext, userId: string): Promise<StoredUser> {
  const { Item } = await ctx.document.send(new GetCommand({ TableName: ctx.tables.users, Key: { userId } }));
  if (!Item) throw new NotFoundError("user");
  return toUser(Item);
}

/**
 * AP2 — 1 Query on `EmailIndex`. The index is eventually consistent: right after an email swap it may still
 * show the old owner under the address as well; then the Emails table (strongly consistent) says whose it is.
 */
export async function findUserByEmail(ctx: MultiTableContext, email: string): Promise<StoredUser> {
  const normalized = normalizeEmail(email);
  // No stored address is empty or longer (creation validates it), and such a key value is a
  // ValidationException, not a miss.
  if (normalized.length === 0 || normalized.length > LIMITS.email) throw new NotFoundError("user");
  const { items } = await ctx.query({
    TableName: ctx.tables.users,
    IndexName: "EmailIndex",
    KeyConditionExpression: "#email = :email",
    ExpressionAttributeNames: names("email"),
    ExpressionAttributeValues: { ":email": normalized },
  });
  if (items.length <= 1) {
    if (!items[0]) throw new NotFoundError("user");
    return toUser(items[0]);
  }
  const { Item: owner } = await ctx.document.send(
    new GetCommand({ TableName: ctx.tables.emails, Key: { email: normalized }, ConsistentRead: true }),
  );
  const user = items.find((item) => item.userId === owner?.userId);
  if (!user) throw new NotFoundError("user");
  return toUser(user);
}

/** AP3 — 1 TransactWriteItems: the user and its email item, which must not exist yet. */
export async function createUser(ctx: MultiTableContext, input: CreateUserInput): Promise<StoredUser> {
  const now = ctx.timestamp();
  const user: StoredUser = {
    userId: ctx.newId(),
    name: input.name,
    email: input.email,
    createdAt: now,
    updatedAt: now,
  };
  const outcomes = await retryOnConflict(() =>
    ctx.transact([
      {
        Put: {
          TableName: ctx.tables.users,
          Item: { ...user, revision: 1 },
          ConditionExpression: "attribute_not_exists(#userId)",
          ExpressionAttributeNames: names("userId"),
        },
      },
      {
        Put: {
          TableName: ctx.tables.emails,
          Item: { email: user.email, userId: user.userId },
          ConditionExpression: "attribute_not_exists(#email)",
          ExpressionAttributeNames: names("email"),
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
    ]),
  );
  const marker = outcomes?.[1];
  // A marker that is ours already: an earlier attempt of this very call committed (its answer was lost).
  if (marker?.rejected && marker.item?.userId === user.userId) return user;
  if (marker?.rejected) throw new EmailTakenError();
  if (outcomes) throw new Error(`createUser cancelled: ${outcomes.map((o) => o.code).join(",")}`);
  return user;
}

/**
 * AP4 — a rename is 1 UpdateItem, with the ownership check inside its condition (ALL_OLD tells 404 from 403).
 * An email change must know the old address to release it: 1 GetItem (consistent), then 1 TransactWriteItems
 * (user, old email item deleted, new one created). Under `sync` a request that gives a name first counts the
 * user's registrations (refusing with too_many_copies past the bound, before writing), then rewrites their
 * copies of the name; every name given fans out, so a retry also repairs a fan-out an earlier attempt left
 * unfinished. Under `stream` the copies follow from the stream, under `none` there are none.
 */
export async function updateUser(
  ctx: MultiTableContext,
  userId: string,
  actorId: string,
  changes: UpdateUserInput,
): Promise<StoredUser> {
  const fansOut = ctx.copies === "sync" && changes.name !== undefined;
  // The ownership check comes first: a stranger hears 403 (or 404), never how many registrations the user has.
  if (fansOut && actorId === userId) await refuseTooManyCopies(ctx, userId);
  const written =
    changes.email === undefined
      ? await patchUser(ctx, userId, actorId, changes.name)
      : await changeEmail(ctx, userId, actorId, changes.email, changes.name);
  if (fansOut) await applyCopyChange(ctx.copyKeeper, { kind: "user", source: userCopySource(written) });
  return toUser(written);
}

/**
 * Counts the user's registrations on `UserIndex` (Select COUNT, stopping past the bound): 1 Query per 1 MB read.
 * Throws TooManyCopiesError when a rename would rewrite more copies than one request may.
 */
async function refuseTooManyCopies(ctx: MultiTableContext, userId: string): Promise<void> {
  const limit = ctx.maxSyncCopies;
  let count = 0;
  let start: Key | undefined;
  do {
    const output = await ctx.document.send(
      new QueryCommand({
        TableName: ctx.tables.registrations,
        IndexName: "UserIndex",
        KeyConditionExpression: "#userId = :userId",
        ExpressionAttributeNames: names("userId"),
        ExpressionAttributeValues: { ":userId": userId },
        Select: "COUNT",
        Limit: limit + 1 - count,
        ...(start && { ExclusiveStartKey: start }),
      }),
    );
    count += output.Count ?? 0;
    start = output.LastEvaluatedKey as Key | undefined;
  } while (start && count <= limit);
  if (count > limit) throw new TooManyCopiesError(count, limit);
}

/** The email change: 1 GetItem (consistent) + 1 TransactWriteItems; the user item as written. */
function changeEmail(
  ctx: MultiTableContext,
  userId: string,
  actorId: string,
  newEmail: string,
  name: string | undefined,
): Promise<Item> {
  return retryOnConflict(async () => {
    const { Item } = await ctx.document.send(
      new GetCommand({ TableName: ctx.tables.users, Key: { userId }, ConsistentRead: true }),
    );
    if (!Item) throw new NotFoundError("user");
    if (actorId !== userId) throw new ForbiddenError("only the user may change their profile");
    const current = toUser(Item);
    if (newEmail === current.email) return patchUser(ctx, userId, actorId, name);
    const next: Item = {
      ...Item,
      ...(name !== undefined && { name }),
      email: newEmail,
      updatedAt: ctx.timestamp(),
      revision: (typeof Item.revision === "number" ? Item.revision : 0) + 1,
    };
    const outcomes = await ctx.transact([
      {
        // Optimistic: the email we release must still be the user's current one, and the revision we read the
        // current one (the revision we answer with is then the one written).
        Update: {
          TableName: ctx.tables.users,
          Key: { userId },
          UpdateExpression: "SET #name = :name, #email = :email, #updatedAt = :now, #revision = :revision",
          ConditionExpression: `#userId = :actor AND #email = :old AND ${
            Item.revision === undefined ? "attribute_not_exists(#revision)" : "#revision = :read"
          }`,
          ExpressionAttributeNames: names("name", "email", "updatedAt", "userId", "revision"),
          ExpressionAttributeValues: {
            ":name": next.name,
            ":email": newEmail,
            ":now": next.updatedAt,
            ":revision": next.revision,
            ":actor": actorId,
            ":old": current.email,
            ...(Item.revision !== undefined && { ":read": Item.revision }),
          },
        },
      },
      {
        Delete: {
          TableName: ctx.tables.emails,
          Key: { email: current.email },
          ConditionExpression: "#userId = :userId",
          ExpressionAttributeNames: names("userId"),
          ExpressionAttributeValues: { ":userId": userId },
        },
      },
      {
        Put: {
          TableName: ctx.tables.emails,
          Item: { email: newEmail, userId },
          ConditionExpression: "attribute_not_exists(#email)",
          ExpressionAttributeNames: names("email"),
          ReturnValuesOnConditionCheckFailure: ALL_OLD,
        },
      },
    ]);
    if (!outcomes) return next;
    if (outcomes[2]?.rejected && outcomes[2].item) throw new EmailTakenError();
    // The user changed between our read and the write: read again.
    throw new TransactionConflict();
  });
}

/** 1 UpdateItem: `updatedAt`, the revision and maybe the name, only by the user themself; the item as written. */
async function patchUser(
  ctx: MultiTableContext,
  userId: string,
  actorId: string,
  name: string | undefined,
): Promise<Item> {
  try {
    const { Attributes } = await ctx.document.send(
      new UpdateCommand({
        TableName: ctx.tables.users,
        Key: { userId },
        UpdateExpression: `SET #updatedAt = :now${name === undefined ? "" : ", #name = :name"} ADD #revision :one`,
        ConditionExpression: "#userId = :actor",
        ExpressionAttributeNames: names("updatedAt", "userId", "revision", ...(name === undefined ? [] : ["name"])),
        ExpressionAttributeValues: {
          ":now": ctx.timestamp(),
          ":actor": actorId,
          ":one": 1,
          ...(name !== undefined && { ":name": name }),
        },
        ReturnValues: "ALL_NEW",
        ReturnValuesOnConditionCheckFailure: ALL_OLD,
      }),
    );
    return Attributes as Item;
  } catch (error) {
    const failure = conditionFailure(error);
    if (!failure) throw error;
    if (!failure.item) throw new NotFoundError("user");
    throw new ForbiddenError("only the user may change their profile");
  }
}
