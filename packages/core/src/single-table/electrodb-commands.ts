import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { DocumentClientV3Wrapper } from "electrodb/src/client.js";

/**
 * The lib-dynamodb commands ElectroDB's v3 client wrapper sends (`new this.lib.<Name>(params)` in
 * electrodb/src/client.js), imported by name so a bundle keeps only these. Our ElectroDB is patched
 * (patches/electrodb@3.9.3.patch, patches/README.md) not to `require` the whole package itself.
 * test/infra/bundle.test.ts fails if ElectroDB starts sending a command missing here.
 */
export const ELECTRODB_COMMANDS = {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
};

/** The client to give ElectroDB's entities and services: the document client, wrapped with the commands. */
export function electrodbClient(document: DynamoDBDocumentClient): DynamoDBDocumentClient {
  // ElectroDB takes its own wrapper as a client as it is (`identifyClientVersion` → "electro").
  return new DocumentClientV3Wrapper(document, ELECTRODB_COMMANDS) as unknown as DynamoDBDocumentClient;
}
