/**
 * Preloaded (`tsx --import`) by the local scripts in package.json. On Node 20 the AWS SDK prints, once per
 * process, that its releases after January 2027 will need Node 22. The SDK version pinned here supports Node 20
 * (README, Quick start), so the notice is not about anything this checkout runs: keep it off every command's
 * output, unless the caller set the variable themselves. Child processes (the API under `pnpm dev`) inherit it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
