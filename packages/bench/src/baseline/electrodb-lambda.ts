/**
 * The ElectroDB floor (./electrodb-app.ts) as a Lambda handler, for the cold-start benchmark. Bundled with the
 * same settings as the API (scripts/lambda-build.ts). Reads DYNAMODB_ENDPOINT and TABLE_NAME.
 */
import { handle } from "hono/aws-lambda";
import { baselineClient } from "./app.js";
import { createElectroDbApp } from "./electrodb-app.js";

const table = process.env.TABLE_NAME;
if (!table) throw new Error("TABLE_NAME is not set");
export const handler = handle(createElectroDbApp(baselineClient(process.env.DYNAMODB_ENDPOINT || undefined), table));
