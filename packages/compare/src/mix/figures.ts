import { LATENCY_MODEL } from "../latency.js";
import { designName } from "../report/names.js";
import type { ComparisonResult } from "../run.js";
import type { DesignFigures, ModelFigures, OpFigures } from "./model.js";

/** The measured figures the workload model needs, taken from one run (also embedded in the HTML report). */
export function modelFigures(result: ComparisonResult): ModelFigures {
  const { dataset } = result.meta;
  const per = (bytes: number, count: number) => (count > 0 ? bytes / count : 0);
  return {
    prices: {
      readPerMillion: result.prices.readRequestUnitPerMillion,
      writePerMillion: result.prices.writeRequestUnitPerMillion,
      storageGbMonth: result.prices.storageGbMonth,
    },
    latency: {
      dynamoRoundTripMs: LATENCY_MODEL.dynamoRoundTripMs.value,
      apiOverheadMs: LATENCY_MODEL.apiOverheadMs.value,
    },
    designs: result.designs.map(
      (design): DesignFigures => ({
        id: design.variant,
        label: designName(design.variant),
        bytesPer: {
          user: per(
            design.storage.byEntity.user.billableBytes + design.storage.byEntity.other.billableBytes,
            dataset.users,
          ),
          event: per(design.storage.byEntity.event.billableBytes, dataset.events),
          registration: per(design.storage.byEntity.registration.billableBytes, dataset.registrations),
        },
        patterns: Object.fromEntries(
          design.patterns.map((stats) => {
            const figures: OpFigures = {
              requests: stats.requestsPerOp,
              roundTrips: stats.roundTripsPerOp,
              billedReadUnits: stats.billedReadUnitsPerOp,
              billedWriteUnits: stats.billedWriteUnitsPerOp,
              ...(stats.perItem && { perItem: { intercept: stats.perItem.intercept, slope: stats.perItem.slope } }),
            };
            return [stats.pattern, figures];
          }),
        ),
      }),
    ),
  };
}
