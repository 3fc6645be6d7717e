import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTableCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { createTableInput, defaultTableNames, tableDefinitions } from "@tablelab/core";
import { type DesignVariant, variantSlug } from "./variants.js";

/**
 * The comparison's own tables: `tablelab-compare-<design>-<copies>-<runid>` (plus `-<entity>` for designs with
 * several) — one set per grid cell, since the copy strategy changes what the items hold —
 * created only if absent, tagged `tablelab:compare=<runid>`, recorded here, and at the end deleted — only those.
 * It never writes to, or deletes, a table it did not create in this run.
 */
export const TAG_KEY = "tablelab:compare";

export function comparisonTableNames(variant: DesignVariant, runId: string): Record<string, string> {
  return defaultTableNames(variant.design, `tablelab-compare-${variantSlug(variant)}-${runId}`);
}

export class TableExistsError extends Error {}

export class ComparisonTables {
  readonly #created: string[] = [];

  constructor(
    private readonly client: DynamoDBClient,
    readonly runId: string,
  ) {}

  get created(): readonly string[] {
    return this.#created;
  }

  /** Creates every table of a grid cell; refuses (throws) if any name is already taken. */
  async create(variant: DesignVariant): Promise<Record<string, string>> {
    const names = comparisonTableNames(variant, this.runId);
    for (const definition of tableDefinitions(variant.design)) {
      const name = names[definition.id] as string;
      if (await this.#exists(name)) {
        throw new TableExistsError(`table ${name} already exists and was not created by this run: refusing to use it`);
      }
      // A `stream` cell's streams are turned on after its seeding (`enableStreams`).
      await this.client.send(
        new CreateTableCommand({ ...createTableInput(definition, name), Tags: [{ Key: TAG_KEY, Value: this.runId }] }),
      );
      this.#created.push(name);
      await waitUntilTableExists({ client: this.client, maxWaitTime: 300, minDelay: 1 }, { TableName: name });
    }
    return names;
  }

  /**
   * Turns on a `stream` cell's streams (old and new images: its copy consumer needs both to tell what changed),
   * once the cell is seeded. With the streams on during seeding, the consumer had to read and handle every seeded
   * item's record (26,000 per cell) while the run waited for it: a default-sized run spent over 12 minutes
   * seeding. The seeded items already hold current copies, so the consumer starts on empty streams and has
   * nothing to catch up on.
   */
  async enableStreams(variant: DesignVariant, names: Record<string, string>): Promise<void> {
    if (variant.copies !== "stream") return;
    for (const definition of tableDefinitions(variant.design)) {
      const TableName = names[definition.id] as string;
      await this.client.send(
        new UpdateTableCommand({
          TableName,
          StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
        }),
      );
      await waitUntilTableExists({ client: this.client, maxWaitTime: 300, minDelay: 1 }, { TableName });
    }
  }

  async #exists(name: string): Promise<boolean> {
    try {
      await this.client.send(new DescribeTableCommand({ TableName: name }));
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceNotFoundException") return false;
      throw error;
    }
  }

  /** Deletes the tables this run created (and nothing else); returns their names. */
  async deleteCreated(): Promise<string[]> {
    const deleted: string[] = [];
    while (this.#created.length > 0) {
      const name = this.#created.pop() as string;
      try {
        await this.client.send(new DeleteTableCommand({ TableName: name }));
        deleted.push(name);
      } catch (error) {
        if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
      }
    }
    return deleted;
  }
}
