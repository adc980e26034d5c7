/**
 * The error to stop a process with when a listener cannot bind: one line naming the address, the variable that
 * chose it and what to do, instead of Node's bare `listen EADDRINUSE` (or, through Express 5's `listen` callback, a
 * `TypeError` on a null address).
 */
export function listenError(
  err: NodeJS.ErrnoException,
  where: { port: number; host: string; portVariable: string; hostVariable?: string },
): Error {
  const address = `${where.host}:${where.port}`;
  const { portVariable, hostVariable = 'HOST' } = where;
  let message: string;
  switch (err.code) {
    case 'EADDRINUSE':
      message = `${portVariable}=${where.port}: ${address} is already in use (another Tidehook, or another program). Stop it, or set ${portVariable} to a free port.`;
      break;
    case 'EACCES':
      message = `${portVariable}=${where.port}: not allowed to listen on ${address} (ports below 1024 need privileges). Set ${portVariable} to a port above 1023.`;
      break;
    case 'EADDRNOTAVAIL':
      message = `${hostVariable}=${where.host}: no such address on this machine, so ${address} cannot be listened on. Set ${hostVariable} to one of its addresses (127.0.0.1, 0.0.0.0).`;
      break;
    default:
      message = `${portVariable}=${where.port}: cannot listen on ${address}: ${err.message}`;
  }
  return Object.assign(new Error(message), { code: err.code });
}
