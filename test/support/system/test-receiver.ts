import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackResource } from './open-resources';

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** How the receiver answers: a status (and optional body), or 'hang' to never answer. */
export type ReceiverAnswer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/** A real webhook receiver on 127.0.0.1 that records every request and answers as told. */
export interface TestReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Decides the answer for each request; defaults to 200. */
  answer: (request: ReceivedRequest, index: number) => ReceiverAnswer;
  /** Resolves once `count` requests arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startTestReceiver(): Promise<TestReceiver> {
  const waiters: Array<() => void> = [];
  const hanging = new Set<http.ServerResponse>();
  const receiver: TestReceiver = {
    url: '',
    requests: [],
    answer: () => ({ status: 200, body: '{"received":true}' }),
    waitForRequests: (count, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => receiver.requests.length >= count;
        if (check()) return resolve(receiver.requests.slice(0, count));
        const timer = setTimeout(
          () =>
            reject(new Error(`receiver got ${receiver.requests.length} of ${count} requests within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const waiter = () => {
          if (!check()) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(waiter), 1);
          resolve(receiver.requests.slice(0, count));
        };
        waiters.push(waiter);
      }),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      untrack();
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      const index = receiver.requests.push(received) - 1;
      const answer = receiver.answer(received, index);
      if (answer === 'hang') {
        hanging.add(res);
      } else {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      }
      for (const waiter of [...waiters]) waiter();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const untrack = trackResource(receiver, `test receiver at ${receiver.url}`);
  return receiver;
}
