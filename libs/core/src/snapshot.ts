/**
 * Every learner can write its state to plain data (JSON-serialisable: numbers, strings, booleans, arrays,
 * plain objects) and read it back. PBT copies members this way and checkpoints are written this way.
 */
export interface Snapshottable<S> {
  /** The complete state as plain data; mutating the result never affects the object. */
  snapshot(): S;
  /** Replaces the state with a snapshot; throws `StateError` when the snapshot does not fit. */
  restore(state: S): void;
}
