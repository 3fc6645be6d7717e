import type { AppJson } from "./sst-config-build.js";

/** One evaluation of sst.config.ts under Pulumi's mocks. */
export interface Scenario {
  stage: string;
  /** `sst dev` when true, `sst deploy` otherwise. */
  dev: boolean;
  /** Environment of the deploying shell (e.g. TABLE_DESIGN, TABLELAB_DEV_DB) plus the stage's secrets. */
  env?: Record<string, string>;
}

/** A resource registration as Pulumi's engine would receive it (custom: an AWS resource; else a component). */
export interface RecordedResource {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** The resource options Pulumi's engine would receive with it (parent URN, retainOnDelete, …). */
  options?: { parent: string; retainOnDelete: boolean; protect: boolean; ignoreChanges: string[] };
}

export interface RecordedInvoke {
  token: string;
  inputs: Record<string, unknown>;
}

export interface RecordedRpc {
  method: string;
  args: unknown;
}

export type MockRun =
  | {
      ok: true;
      app: AppJson;
      outputs: Record<string, unknown>;
      resources: RecordedResource[];
      invokes: RecordedInvoke[];
      rpcs: RecordedRpc[];
      /** The mock monitor's state per URN, component outputs included (e.g. a DevCommand's `_dev`). */
      registered: Array<{ urn: string; state: unknown }>;
    }
  | {
      ok: false;
      error: string;
      resources: RecordedResource[];
      invokes: RecordedInvoke[];
      rpcs: RecordedRpc[];
      registered: [];
    };
