import { defineConfig } from "vitest/config";

// The SDK's notice that Node 20 support ends in 2027 is known (Lambda runs Node 24); keep test output readable.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "suites",
          include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/bench/**", "**/node_modules/**"],
          // One DynamoDB Local for the whole run; each test file makes its own table in it.
          globalSetup: ["test/setup/dynamodb-local.ts"],
          // In every test file: fail the file if anything but a test helper issued a DynamoDB Scan.
          setupFiles: ["test/setup/no-scan.ts"],
          testTimeout: 60_000,
          env,
          hookTimeout: 60_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
      {
        test: {
          // `pnpm bench --quick` loads the machine (two servers, autocannon, its own DynamoDB Local): it runs
          // after the other suites (a later group), never beside them, so their timings are not disturbed.
          name: "bench",
          include: ["test/bench/**/*.test.ts"],
          sequence: { groupOrder: 1 },
          testTimeout: 240_000,
          env,
          pool: "forks",
        },
      },
    ],
  },
});
