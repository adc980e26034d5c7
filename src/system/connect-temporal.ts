import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { settleLateCalls } from '../deliveries/within-deadline';

/** How long closing waits for Temporal calls that outlived their deadline: the SDK's retry sleeps last up to 5 s. */
export const LATE_CALLS_GRACE_MS = 6_000;

/** One client connection per process, reused for every start, cancel and query. */
export async function connectTemporalClient(
  address: string,
  namespace: string,
): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  return {
    client,
    close: async () => {
      await settleLateCalls(client, LATE_CALLS_GRACE_MS);
      await connection.close();
    },
  };
}

export function connectWorkerConnection(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address });
}
