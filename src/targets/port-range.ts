/** An inclusive range of TCP ports; a single port is a range of one. */
export interface PortRange {
  from: number;
  to: number;
}

/**
 * Reads a list of ports and ranges as an operator writes it in `ALLOWED_TARGET_PORTS`: `443,8443,9000-9099`
 * (spaces allowed). Throws a `RangeError` naming the first entry that is not a port (1–65535) or a range whose
 * start is not above its end, so a typo never silently opens or closes ports.
 */
export function parsePortRanges(text: string): PortRange[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) throw new RangeError('must list at least one port or range');
  return entries.map((entry) => {
    const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(entry);
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (!match || !isPort(from) || !isPort(to) || from > to) {
      throw new RangeError(`"${entry}" is not a port (1-65535) or a range such as 9000-9099`);
    }
    return { from, to };
  });
}

/** Whether `port` lies in any of the ranges. */
export function inPortRanges(port: number, ranges: readonly PortRange[]): boolean {
  return ranges.some((range) => port >= range.from && port <= range.to);
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}
