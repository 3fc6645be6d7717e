export { type App, type AppDeps, type AppType, createApp } from "./app.js";
export { silentLogger } from "./http/logger.js";
export { mintToken, TOKEN_LIFETIME_SECONDS } from "./middleware/auth.js";
export { idempotencyRunnerFor } from "./runtime.js";
