/**
 * The bare baseline as a Lambda handler (the counterpart of packages/api/src/lambda.ts): Hono's AWS Lambda
 * adapter over the same app, client built once per execution environment. Reads DYNAMODB_ENDPOINT and TABLE_NAME.
 */
import { handle } from "hono/aws-lambda";
import { baselineClient, createBaselineApp } from "./app.js";

const table = process.env.TABLE_NAME;
if (!table) throw new Error("TABLE_NAME is not set");
export const handler = handle(createBaselineApp(baselineClient(process.env.DYNAMODB_ENDPOINT || undefined), table));
