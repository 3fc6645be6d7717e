/**
 * One load run, in its own process so the load generator never shares a CPU queue slot with the server it
 * measures:  tsx packages/bench/src/load.ts <url> <connections> <seconds>  → one JSON line on stdout.
 * autocannon drives the load; its latency histogram has 1 ms resolution, so the percentiles here come from
 * every response's own time (hrtime, sub-millisecond), which the ≤ baseline + 1 ms target needs.
 */
import autocannon from "autocannon";
import { percentile } from "./stats.js";

export interface LoadResult {
  url: string;
  connections: number;
  seconds: number;
  requests: number;
  /** 2xx responses per second over the run. */
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  non2xx: number;
  errors: number;
  /** autocannon's own (1 ms resolution) figures, for reference. */
  autocannon: { p50: number; p99: number; rps: number };
}

async function main() {
  const [url, connections, seconds] = process.argv.slice(2);
  if (!url || !connections || !seconds) throw new Error("usage: load.ts <url> <connections> <seconds>");
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: Number(connections), duration: Number(seconds), timeout: 10 },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  const elapsed = result.duration > 0 ? result.duration : Number(seconds);
  const output: LoadResult = {
    url,
    connections: Number(connections),
    seconds: elapsed,
    requests: sorted.length,
    rps: sorted.length / elapsed,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    autocannon: { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average },
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

await main();
