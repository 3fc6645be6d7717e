/**
 * An event's capacity is on both of its items. The event item's is the event's own, of the event's version: it
 * is what every answer shows. The seats item's is what the seat condition compares the count with (a condition
 * reads one item). Every write of it writes both, in one transaction.
 *
 * Reading the two together (a Query of both, a BatchGetItem, an index page and its seats) is not isolated from
 * that transaction: a read can see one item before it and the other after, and pair one version's name with
 * another's seats. The capacities then differ, which is how a reader knows, and it asks again with
 * TransactGetItems, which is isolated (twice the read units, paid only when a change was caught half-way).
 *
 * An event item written before the capacity moved onto it has none: its seats' capacity is the only one.
 */
export function caughtMidChange(event: { capacity?: unknown }, seats: { capacity?: unknown }): boolean {
  return event.capacity !== undefined && event.capacity !== seats.capacity;
}
