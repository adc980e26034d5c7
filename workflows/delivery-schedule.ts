/**
 * How long to wait before each attempt, measured from the end of the previous one (Lettermint's schedule). Index n-1 is the
 * wait before attempt n, so the length is the number of attempts. A delivery receives a copy of this list when it
 * starts, so changing it later never disturbs deliveries already under way.
 */
export const DELIVERY_SCHEDULE: readonly number[] = Object.freeze([
  0, // attempt 1: immediately
  60_000, // 1 minute
  2 * 60_000,
  5 * 60_000,
  10 * 60_000,
  10 * 60_000,
  15 * 60_000,
  30 * 60_000,
  60 * 60_000, // 1 hour
  2 * 60 * 60_000,
  4 * 60 * 60_000,
  6 * 60 * 60_000,
]);
