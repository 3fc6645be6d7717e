/**
 * The AWS latency model: an operation's estimated latency is the API's own time plus, for each DynamoDB round
 * trip it waited for in sequence (the round-trip depth the meter measured, see `roundTripDepth`), one in-region
 * DynamoDB round trip. Calls sent together cost one round trip. Every figure is a parameter with its source, so
 * a team can put in what it measures on its own deployment (X-Ray, the API's Server-Timing header).
 */
export interface LatencyParameter {
  value: number;
  unit: "ms";
  label: string;
  source: string;
}

export interface LatencyModel {
  /** One DynamoDB request from a Lambda in the same region, p50. */
  dynamoRoundTripMs: LatencyParameter;
  /** The request's time outside DynamoDB: API Gateway + a warm Lambda running the Hono app, p50. */
  apiOverheadMs: LatencyParameter;
}

export const LATENCY_MODEL: LatencyModel = {
  dynamoRoundTripMs: {
    value: 5,
    unit: "ms",
    label: "DynamoDB round trip in-region (p50)",
    source:
      "AWS: DynamoDB delivers “single-digit millisecond performance at any scale” " +
      "(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Introduction.html); 5 ms is the middle of that range",
  },
  apiOverheadMs: {
    value: 10,
    unit: "ms",
    label: "API Gateway + warm Lambda, outside DynamoDB (p50)",
    source:
      "an assumption, not an AWS-published figure: measure yours with the API's Server-Timing header (app time) " +
      "and API Gateway's IntegrationLatency vs Latency metrics (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html)",
  },
};

/** Estimated AWS latency (ms) of an operation with the given mean round-trip depth. */
export function estimateLatencyMs(roundTrips: number, model: LatencyModel = LATENCY_MODEL): number {
  return model.apiOverheadMs.value + roundTrips * model.dynamoRoundTripMs.value;
}
