import { describeInvariants } from "./invariants.suite.js";

// The invariants on a healthy DynamoDB, every cell of the grid (the scenarios: invariants.suite.ts).
describeInvariants(false);
