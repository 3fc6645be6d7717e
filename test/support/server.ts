import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp, idempotencyRunnerFor, mintToken, silentLogger } from "@tablelab/api";
import type { TestDatabase } from "./database.js";

export const SERVER_SECRET = "reliability-secret";

export interface RunningServer {
  base: string;
  token(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** The real app on a real loopback socket (as `pnpm dev` serves it), on the given test database. */
export async function startServer(db: TestDatabase): Promise<RunningServer> {
  const app = createApp({
    store: db.storeWith({ cursorSecret: SERVER_SECRET }),
    copies: db.copies,
    jwtSecret: SERVER_SECRET,
    dbMetrics: true,
    corsOrigins: [],
    // Unexpected errors (500s) are printed: a failing invariant test should say what went wrong inside. The
    // 503s that injected faults cause are expected and stay quiet.
    logger: {
      ...silentLogger,
      error: (message, extra) => {
        const name = (extra?.error as { name?: string } | undefined)?.name ?? "";
        if (!/Throttl|Throughput|InternalServerError|Timeout|ElectroError|Unavailable/.test(name)) {
          console.error(message, JSON.stringify(extra));
        }
      },
    },
    now: () => new Date(),
    idempotency: idempotencyRunnerFor({ design: db.design, tableNames: db.tableNames }, db.clients),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: (userId) => mintToken(userId, SERVER_SECRET),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
