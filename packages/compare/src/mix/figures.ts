import { LATENCY_MODEL } from "../latency.js";
import type { CopyMaintenanceStats, PatternStats } from "../metrics.js";
import { designName } from "../report/names.js";
import type { ComparisonResult } from "../run.js";
import type { DesignFigures, ModelFigures, OpFigures } from "./model.js";

/**
 * A pattern's figures with the stream consumer's work added (`stream` cells): the copies a write makes stale are
 * rewritten outside the request but billed all the same. Requests and units count; round trips do not (the
 * caller does not wait for them). A fan-out's consumer work grows with the items the operation touched, so where
 * the figures are fitted per item, the consumer's share goes onto the slope.
 */
export function withConsumerWork(stats: PatternStats): OpFigures {
  const figures: OpFigures = {
    requests: stats.requestsPerOp,
    roundTrips: stats.roundTripsPerOp,
    billedReadUnits: stats.billedReadUnitsPerOp,
    billedWriteUnits: stats.billedWriteUnitsPerOp,
    ...(stats.perItem && { perItem: { intercept: { ...stats.perItem.intercept }, slope: { ...stats.perItem.slope } } }),
  };
  const consumer: CopyMaintenanceStats["consumer"] = stats.copyMaintenance?.consumer;
  if (!consumer) return figures;
  figures.requests += consumer.requestsPerOp;
  figures.billedReadUnits += consumer.billedReadUnitsPerOp;
  figures.billedWriteUnits += consumer.billedWriteUnitsPerOp;
  if (figures.perItem && stats.perItem) {
    const items = Math.max(1, stats.perItem.meanItems);
    figures.perItem.slope.requests += consumer.requestsPerOp / items;
    figures.perItem.slope.billedReadUnits += consumer.billedReadUnitsPerOp / items;
    figures.perItem.slope.billedWriteUnits += consumer.billedWriteUnitsPerOp / items;
  }
  return figures;
}

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
        patterns: Object.fromEntries(design.patterns.map((stats) => [stats.pattern, withConsumerWork(stats)])),
      }),
    ),
  };
}
