import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // One DynamoDB Local for the whole run; each test file makes its own table in it.
    globalSetup: ["test/setup/dynamodb-local.ts"],
    testTimeout: 60_000,
    // The SDK's notice that Node 20 support ends in 2027 is known (Lambda runs Node 24); keep test output readable.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
