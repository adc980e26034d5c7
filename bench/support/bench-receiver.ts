import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../src/signature/verify-signature';

/** What the receiver answers: a status, or nothing at all (it accepts the connection and never answers). */
export type BenchAnswer = number | 'hang';

/**
 * A receiver on 127.0.0.1 that verifies every signature, as a real one must, and notes when each event id
 * arrived (every arrival: a second one is a duplicate).
 */
export interface BenchReceiver {
  url: string;
  receivedAt: Map<string, number[]>;
  badSignatures: number;
  /** Answers per request; 200 unless set. */
  answer: (eventId: string) => BenchAnswer;
  /** Called for every verified request, with its event id and attempt number. */
  onRequest?: (eventId: string, attempt: string) => void;
  close(): Promise<void>;
}

export async function startBenchReceiver(secret: string): Promise<BenchReceiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: BenchReceiver = {
    url: '',
    receivedAt: new Map(),
    badSignatures: 0,
    answer: () => 200,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const at = performance.now();
      let id: string;
      try {
        verifyWebhookSignature({
          payload: body,
          signatureHeader: req.headers['x-lettermint-signature'] as string,
          secret,
        });
        id = (JSON.parse(body.toString()) as { id: string }).id;
      } catch {
        receiver.badSignatures++;
        res.writeHead(400).end('bad signature');
        return;
      }
      receiver.onRequest?.(id, String(req.headers['x-lettermint-attempt'] ?? ''));
      const answer = receiver.answer(id);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      const seen = receiver.receivedAt.get(id);
      if (seen) seen.push(at);
      else receiver.receivedAt.set(id, [at]);
      res.writeHead(answer).end(answer < 300 ? 'ok' : 'no');
    });
  });
  // Many keep-alive sockets from one worker: no per-server socket limit gets in the way.
  server.maxConnections = 10_000;
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}
