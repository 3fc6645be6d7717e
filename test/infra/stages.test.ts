/**
 * The table design of a stage is written in the config (stacks/stages.ts), never taken from the deploying
 * shell; `TABLELAB_DEV_DB` picks the database of `sst dev` (stacks/dev-database-mode.ts). sst-pulumi-mocks.test.ts
 * shows that `run()` applies both before it creates anything.
 */
import { describe, expect, it } from "vitest";
import { localDynamoEndpoint, parseDevDatabase } from "../../stacks/dev-database-mode.js";
import {
  copiesOfStage,
  STAGE_COPIES,
  STAGE_TABLE_DESIGNS,
  stageCopies,
  stageTableDesign,
  tableDesignOfStage,
} from "../../stacks/stages.js";

describe("tableDesignOfStage", () => {
  it("fixes production to the single-table design", () => {
    expect(STAGE_TABLE_DESIGNS.production).toBe("single");
    expect(tableDesignOfStage("production")).toBe("single");
  });

  it("gives other stages the single-table design, or the multi-table one when the name ends in -multi", () => {
    expect(tableDesignOfStage("alice")).toBe("single");
    expect(tableDesignOfStage("pr-42")).toBe("single");
    expect(tableDesignOfStage("alice-multi")).toBe("multi");
    expect(tableDesignOfStage("multi")).toBe("single");
  });
});

describe("stageTableDesign (the deploying shell's TABLE_DESIGN against the stage's)", () => {
  it("takes the stage's design when the shell names none", () => {
    expect(stageTableDesign("production", undefined)).toBe("single");
    expect(stageTableDesign("production", "")).toBe("single");
    expect(stageTableDesign("alice-multi", undefined)).toBe("multi");
  });

  it("accepts a shell that names the stage's own design", () => {
    expect(stageTableDesign("production", "single")).toBe("single");
    expect(stageTableDesign("alice-multi", "multi")).toBe("multi");
  });

  it.each([
    [
      "production",
      "multi",
      /Stage "production" runs the single-table design .*TABLE_DESIGN=multi.*--stage alice-multi/,
    ],
    ["alice", "multi", /Stage "alice" runs the single-table design .*TABLE_DESIGN=multi/],
    [
      "alice-multi",
      "single",
      /Stage "alice-multi" runs the multi-table design .*TABLE_DESIGN=single.*does not end in "-multi"/,
    ],
  ])("refuses stage %s when the shell asks for %s, saying why and what to do", (stage, shellDesign, message) => {
    expect(() => stageTableDesign(stage, shellDesign)).toThrow(message);
    expect(() => stageTableDesign(stage, shellDesign)).toThrow(/Unset TABLE_DESIGN/);
  });

  it("refuses a value that names no design", () => {
    expect(() => stageTableDesign("alice", "Multi")).toThrow(/TABLE_DESIGN must be one of single, multi/);
  });
});

describe("copiesOfStage", () => {
  it("fixes production to the single table's default, copies in the request", () => {
    expect(STAGE_COPIES.production).toBe("sync");
    expect(copiesOfStage("production")).toBe("sync");
  });

  it("gives other stages their design's default unless the name, before any -multi, ends in a strategy", () => {
    expect(copiesOfStage("alice")).toBe("sync");
    expect(copiesOfStage("alice-multi")).toBe("none");
    expect(copiesOfStage("alice-stream")).toBe("stream");
    expect(copiesOfStage("alice-none")).toBe("none");
    expect(copiesOfStage("alice-stream-multi")).toBe("stream");
    expect(copiesOfStage("alice-sync-multi")).toBe("sync");
    expect(tableDesignOfStage("alice-stream-multi")).toBe("multi");
    expect(tableDesignOfStage("alice-stream")).toBe("single");
    // The strategy must be a whole word before the design's suffix.
    expect(copiesOfStage("upstream")).toBe("sync");
    expect(copiesOfStage("alice-multi-stream")).toBe("stream");
    expect(tableDesignOfStage("alice-multi-stream")).toBe("single");
  });
});

describe("stageCopies (the deploying shell's COPIES against the stage's)", () => {
  it("takes the stage's strategy when the shell names none or the same", () => {
    expect(stageCopies("production", undefined)).toBe("sync");
    expect(stageCopies("production", "")).toBe("sync");
    expect(stageCopies("alice-stream-multi", "stream")).toBe("stream");
  });

  it.each([
    ["production", "stream", /Stage "production" keeps copies sync .*COPIES=stream.*--stage alice-stream\b/],
    ["alice-multi", "sync", /Stage "alice-multi" keeps copies none .*COPIES=sync.*--stage alice-sync-multi/],
  ])("refuses stage %s when the shell asks for %s, saying why and what to do", (stage, shellCopies, message) => {
    expect(() => stageCopies(stage, shellCopies)).toThrow(message);
    expect(() => stageCopies(stage, shellCopies)).toThrow(/Unset COPIES/);
  });

  it("refuses a value that names no strategy", () => {
    expect(() => stageCopies("alice", "Stream")).toThrow(/COPIES must be one of none, sync, stream/);
  });
});

describe("TABLELAB_DEV_DB", () => {
  it("defaults to the stage's cloud tables and accepts local", () => {
    expect(parseDevDatabase(undefined)).toBe("aws");
    expect(parseDevDatabase("")).toBe("aws");
    expect(parseDevDatabase("aws")).toBe("aws");
    expect(parseDevDatabase("local")).toBe("local");
  });

  it("refuses anything else", () => {
    expect(() => parseDevDatabase("cloud")).toThrow(/TABLELAB_DEV_DB must be one of aws, local \(got "cloud"\)/);
  });

  it("finds the local database on pnpm dev's port, on loopback", () => {
    expect(localDynamoEndpoint({})).toBe("http://127.0.0.1:8000");
    expect(localDynamoEndpoint({ DYNAMODB_LOCAL_PORT: "8123" })).toBe("http://127.0.0.1:8123");
    expect(() => localDynamoEndpoint({ DYNAMODB_LOCAL_PORT: "80a" })).toThrow(/DYNAMODB_LOCAL_PORT/);
  });
});
