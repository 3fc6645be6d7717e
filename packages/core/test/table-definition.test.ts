import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { createEntities } from "../src/single-table/entities.js";
import { createTableInput, singleTable, sstDynamoArgs, type TableDefinition } from "../src/table/definition.js";

/** The single table's GSI projections, written out once here: what AP7–AP9 and AP16 return, and ElectroDB's identity. */
const LISTED_EVENT = [
  "capacity",
  "createdAt",
  "date",
  "description",
  "eventId",
  "name",
  "organizerId",
  "updatedAt",
  "venue",
  "version",
];
const GSI1_INCLUDES = [
  ...LISTED_EVENT,
  "_e",
  "_v",
  "eventDate",
  "eventName",
  "eventVenue",
  "registeredAt",
  "userId",
  "userName",
].sort();
const GSI2_INCLUDES = [...LISTED_EVENT, "_e", "_v", "email", "userId"].sort();

import { defaultTableNames, parseTableDesign, TABLE_DESIGNS, tableDefinitions } from "../src/table/designs.js";

describe("createTableInput", () => {
  it("derives the single table's CreateTable request from the definition", () => {
    expect(createTableInput(singleTable, "tablelab-dev")).toEqual({
      TableName: "tablelab-dev",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
        { AttributeName: "gsi1pk", AttributeType: "S" },
        { AttributeName: "gsi1sk", AttributeType: "S" },
        { AttributeName: "gsi2pk", AttributeType: "S" },
        { AttributeName: "gsi2sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "gsi1",
          KeySchema: [
            { AttributeName: "gsi1pk", KeyType: "HASH" },
            { AttributeName: "gsi1sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: GSI1_INCLUDES },
        },
        {
          IndexName: "gsi2",
          KeySchema: [
            { AttributeName: "gsi2pk", KeyType: "HASH" },
            { AttributeName: "gsi2sk", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: GSI2_INCLUDES },
        },
      ],
    });
  });

  it("handles hash-only keys, other attribute types, keys-only projections and no GSIs", () => {
    const definition: TableDefinition = {
      id: "Emails",
      fields: { email: "string", n: "number", b: "binary" },
      primaryIndex: { hashKey: "email" },
      globalIndexes: { ByN: { hashKey: "n", rangeKey: "b", projection: "keys-only" } },
    };
    const input = createTableInput(definition, "emails");
    expect(input.KeySchema).toEqual([{ AttributeName: "email", KeyType: "HASH" }]);
    expect(input.AttributeDefinitions).toEqual([
      { AttributeName: "email", AttributeType: "S" },
      { AttributeName: "n", AttributeType: "N" },
      { AttributeName: "b", AttributeType: "B" },
    ]);
    expect(input.GlobalSecondaryIndexes?.[0]?.Projection).toEqual({ ProjectionType: "KEYS_ONLY" });
    const plain = createTableInput({ ...definition, fields: { email: "string" }, globalIndexes: {} }, "plain");
    expect(plain).not.toHaveProperty("GlobalSecondaryIndexes");
  });

  it("every key attribute of every table of every design is defined, and every defined attribute is a key", () => {
    for (const design of TABLE_DESIGNS) {
      for (const definition of tableDefinitions(design)) {
        const keys = [definition.primaryIndex, ...Object.values(definition.globalIndexes)].flatMap((index) =>
          index.rangeKey ? [index.hashKey, index.rangeKey] : [index.hashKey],
        );
        expect(new Set(keys), `${design}/${definition.id}`).toEqual(new Set(Object.keys(definition.fields)));
      }
    }
  });
});

describe("sstDynamoArgs", () => {
  it("is a plain projection of the definition in SST's vocabulary", () => {
    expect(sstDynamoArgs(singleTable)).toEqual({
      fields: { pk: "string", sk: "string", gsi1pk: "string", gsi1sk: "string", gsi2pk: "string", gsi2sk: "string" },
      primaryIndex: { hashKey: "pk", rangeKey: "sk" },
      ttl: "expiration",
      globalIndexes: {
        gsi1: { hashKey: "gsi1pk", rangeKey: "gsi1sk", projection: GSI1_INCLUDES },
        gsi2: { hashKey: "gsi2pk", rangeKey: "gsi2sk", projection: GSI2_INCLUDES },
      },
    });
  });

  it("returns copies: editing the arguments cannot change the shared definition", () => {
    const args = sstDynamoArgs(singleTable);
    args.fields.pk = "number";
    args.primaryIndex.hashKey = "x";
    (args.globalIndexes.gsi1 as { hashKey: string }).hashKey = "y";
    (args.globalIndexes.gsi1 as { projection: string[] }).projection.push("z");
    expect(singleTable.fields.pk).toBe("string");
    expect(singleTable.globalIndexes.gsi1.projection).not.toContain("z");
    expect(singleTable.primaryIndex.hashKey).toBe("pk");
    expect(singleTable.globalIndexes.gsi1.hashKey).toBe("gsi1pk");
  });
});

/** The parts of an ElectroDB 3.9 entity's parsed model this check reads (`entity.model.indexes`). */
interface ElectroKey {
  field: string;
  casing?: string;
}
interface ElectroIndex {
  index: string;
  pk: ElectroKey;
  sk?: ElectroKey;
  hasSk: boolean;
  projection?: "all" | "keys_only" | string[];
}
interface ElectroEntity {
  model: { entity: string; indexes: Record<string, ElectroIndex> };
}

describe("the single table definition covers every index the ElectroDB entities use", () => {
  const model = createEntities(DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" })), "t");
  const entities = [model.user, model.emailMarker, model.event, model.registration] as unknown as ElectroEntity[];
  const usages = entities.flatMap((entity) =>
    Object.entries(entity.model.indexes).map(([accessPattern, index]) => ({
      name: `${entity.model.entity}.${accessPattern}`,
      index,
    })),
  );

  it("reads the index mapping of all four entities from ElectroDB", () => {
    expect(entities.map((entity) => entity.model.entity)).toEqual(["user", "emailMarker", "event", "registration"]);
    expect(usages.map((usage) => usage.name)).toEqual([
      "user.byId",
      "user.attendee",
      "user.organizer",
      "emailMarker.byEmail",
      "event.byId",
      "event.byMonth",
      "event.organizer",
      "registration.byEvent",
      "registration.attendee",
    ]);
  });

  it.each(usages.map((usage) => [usage.name, usage.index] as const))(
    "%s maps onto a defined index with the same key attributes",
    (_, index) => {
      // ElectroDB names the table's primary index "".
      const defined = index.index === "" ? singleTable.primaryIndex : singleTable.globalIndexes[index.index as "gsi1"];
      expect(defined, `index "${index.index}" is defined`).toBeDefined();
      expect(index.pk.field).toBe(defined.hashKey);
      expect(index.hasSk).toBe(true);
      expect(index.sk?.field).toBe(defined.rangeKey);
      for (const key of [index.pk, index.sk]) {
        expect(singleTable.fields[key?.field as keyof typeof singleTable.fields]).toBe("string");
        // Keys are never case-folded: two ids or emails differing in case must never become one key.
        expect(key?.casing).toBe("none");
      }
    },
  );

  it.each(usages.filter((usage) => usage.index.index !== "").map((usage) => [usage.name, usage.index] as const))(
    "%s declares what it reads of its index, and the table's projection holds it",
    (_, index) => {
      const projected = singleTable.globalIndexes[index.index as "gsi1"].projection;
      expect(Array.isArray(index.projection)).toBe(true);
      // ElectroDB's identity attributes: without them it cannot tell which entity an index item belongs to.
      expect(index.projection).toEqual(expect.arrayContaining(["_e", "_v"]));
      for (const attribute of index.projection ?? []) expect(projected).toContain(attribute);
    },
  );

  it("every GSI the table pays for is used by some entity", () => {
    const used = new Set(usages.map((usage) => usage.index.index));
    for (const name of Object.keys(singleTable.globalIndexes)) expect(used.has(name), name).toBe(true);
  });
});

describe("design switch", () => {
  it("parses TABLE_DESIGN, defaulting to single and refusing unknown designs", () => {
    expect(parseTableDesign(undefined)).toBe("single");
    expect(parseTableDesign("single")).toBe("single");
    expect(() => parseTableDesign("SINGLE")).toThrow(/TABLE_DESIGN must be one of/);
    expect(() => parseTableDesign("")).toThrow(/TABLE_DESIGN/);
  });

  it("names tables after the prefix, appending the logical id only for designs with several tables", () => {
    expect(defaultTableNames("single", "tablelab-dev")).toEqual({ Table: "tablelab-dev" });
    for (const design of TABLE_DESIGNS) {
      const names = defaultTableNames(design, "p");
      const definitions = tableDefinitions(design);
      expect(Object.keys(names).sort()).toEqual(definitions.map((definition) => definition.id).sort());
      expect(new Set(Object.values(names).map((name) => name.toLowerCase())).size).toBe(definitions.length);
    }
  });
});
