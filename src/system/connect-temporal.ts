import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

/** One client connection per process, reused for every start, cancel and query. */
export async function connectTemporalClient(
  address: string,
  namespace: string,
): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}

export function connectWorkerConnection(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
