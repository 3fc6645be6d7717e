/**
 * PLACEHOLDER, not wired: the Lambda that applies COPIES=stream's copy changes from the tables' DynamoDB streams
 * (stacks/copy-consumer.ts subscribes it, with partial batch failure reporting). The real handler comes from the
 * stream consumer's branch and replaces this file; until then a stream stage's consumer fails every batch, so
 * Lambda retries it and no change is lost or applied half-way.
 */
export async function handler(): Promise<never> {
  throw new Error("copies consumer not wired: packages/api/src/copies-consumer.ts is a placeholder");
}
