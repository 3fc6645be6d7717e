import { measure, roundTripDepth } from "@tablelab/core";
import { type BillingCalibration, billCalls } from "./billing.js";

/** One operation, metered and timed; an error is part of the result (a refusal is a measurement too). */
export interface MeasuredOperation {
  requests: number;
  roundTrips: number;
  billedReadUnits: number;
  billedWriteUnits: number;
  latencyMs: number;
  error?: unknown;
}

export async function measureOperation(
  operation: () => Promise<unknown>,
  calibration: BillingCalibration,
): Promise<MeasuredOperation> {
  const started = performance.now();
  const { result: error, meter } = await measure(async () => {
    try {
      await operation();
      return undefined;
    } catch (caught) {
      return caught ?? new Error("operation failed");
    }
  });
  const latencyMs = performance.now() - started;
  const billed = billCalls(meter.calls, calibration);
  return {
    requests: meter.requests,
    roundTrips: roundTripDepth(meter.calls),
    billedReadUnits: billed.readUnits,
    billedWriteUnits: billed.writeUnits,
    latencyMs,
    ...(error !== undefined && { error }),
  };
}
