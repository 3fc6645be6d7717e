import {
  type CopyStrategy,
  type DynamoConfig,
  defaultTableNames,
  dynamoConfigFromEnv,
  parseCopyStrategy,
  parseTableDesign,
  type TableDesign,
} from "@tablelab/core";

/** Everything the composition roots read from the environment (api.md, "Configuration"). Nothing else reads it. */
export interface ApiConfig {
  port: number;
  design: TableDesign;
  /** How registrations keep copies of names (COPIES); the design's default when unset. */
  copies: CopyStrategy;
  dynamo: DynamoConfig;
  tableNames: Record<string, string>;
  jwtSecret: string | undefined;
  dbMetrics: boolean;
  logLevel: string;
  corsOrigins: string[];
}

export const DEFAULT_TABLE_PREFIX = "tablelab";
const LOG_LEVELS = new Set(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "SILENT", "CRITICAL"]);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number (got "${env.PORT}")`);
  const design = parseTableDesign(env.TABLE_DESIGN);
  const copies = parseCopyStrategy(env.COPIES, design);
  const logLevel = (env.LOG_LEVEL ?? "info").toUpperCase();
  if (!LOG_LEVELS.has(logLevel))
    throw new Error(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(", ").toLowerCase()}`);
  const dynamo = dynamoConfigFromEnv(env);
  return {
    port,
    design,
    copies,
    dynamo,
    tableNames: defaultTableNames(design, env.TABLE_NAME || DEFAULT_TABLE_PREFIX),
    jwtSecret: env.JWT_SECRET || undefined,
    dbMetrics: dynamo.metrics ?? true,
    logLevel,
    corsOrigins: (env.CORS_ORIGINS ?? "")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  };
}
