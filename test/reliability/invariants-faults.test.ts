import { describeInvariants } from "./invariants.suite.js";

// The invariants under injected faults, every cell of the grid (the scenarios: invariants.suite.ts).
describeInvariants(true);
