import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** A name server on 127.0.0.1 that takes every question and answers none, as a black-holed one does. */
export async function startSilentDns(): Promise<{ address: string; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
