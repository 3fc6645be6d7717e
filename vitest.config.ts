import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // One DynamoDB Local for the whole run; each test file makes its own table in it.
    globalSetup: ["test/setup/dynamodb-local.ts"],
    // In every test file: fail the file if anything but a test helper issued a DynamoDB Scan.
    setupFiles: ["test/setup/no-scan.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
