/**
 * A verifier's tolerance and clock, checked: `Math.abs(now - t) > NaN` is always false, so a tolerance that is not a
 * finite number ≥ 0 (or a clock that is not a finite number) would silently accept signatures of any age. A
 * mistake in the receiver's configuration must surface on the first request, as a RangeError.
 */
export function verificationClock(
  options: { toleranceSeconds?: number; nowSeconds?: number },
  defaultToleranceSeconds: number,
): { tolerance: number; now: number } {
  const tolerance = options.toleranceSeconds ?? defaultToleranceSeconds;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new RangeError(`toleranceSeconds must be a finite number of seconds ≥ 0, got ${String(tolerance)}`);
  }
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new RangeError(`nowSeconds must be a finite number of unix seconds, got ${String(now)}`);
  }
  return { tolerance, now };
}
