import { startDynamoDbLocal } from "@tablelab/core/local";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts one in-memory DynamoDB Local on a free loopback port for the run, and stops exactly that process. */
export default async function setup(project: TestProject) {
  const local = await startDynamoDbLocal({ maxHeap: "768m" });
  project.provide("dynamoEndpoint", local.endpoint);
  return async () => {
    await local.stop();
  };
}
