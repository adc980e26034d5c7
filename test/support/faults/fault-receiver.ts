import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trackResource } from '../system/open-resources';

/** One POST as the receiver saw it, kept per delivery (envelope id) and attempt number. */
export interface ReceivedPost {
  envelopeId: string;
  /** From `X-Lettermint-Attempt`. */
  attemptNumber: number;
  signature: string;
  body: string;
  receivedAt: number;
  /** When the answer was complete, or the client went away; undefined while the exchange is open. */
  endedAt: number | undefined;
  /** The client closed the connection before the answer was complete (a killed worker, a poster deadline). */
  abandoned: boolean;
  /** Response body bytes the receiver managed to hand to the socket. */
  bytesWritten: number;
}

/**
 * How the receiver answers one POST. Every behaviour is bounded: nothing here can hold a socket or loop for
 * longer than its own limit.
 */
export type ReceiverBehaviour =
  | { kind: 'answer'; status: number; body?: string }
  /** Keeps the request open until `release` settles (answering its status) or `maxMs` passes (answering 503). */
  | { kind: 'hold'; release: Promise<number>; maxMs: number }
  /** Sends the head at once, then one body byte every `everyMs`, `bytes` in all. */
  | { kind: 'trickle'; status: number; everyMs: number; bytes: number }
  /** Sends `totalBytes` of ASCII as fast as the client reads, with a Content-Length or chunked (no end in sight). */
  | { kind: 'flood'; status: number; totalBytes: number; contentLength: boolean };

export interface FaultReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Decides each answer; defaults to 200. */
  behave: (post: ReceivedPost) => ReceiverBehaviour;
  postsFor(envelopeId: string): ReceivedPost[];
  /** Resolves once `check` holds, polling every 25 ms; rejects after `timeoutMs`. */
  waitUntil(check: (posts: ReceivedPost[]) => boolean, what: string, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const FLOOD_CHUNK = Buffer.alloc(64 * 1024, 'x');

/** A webhook receiver on 127.0.0.1 that misbehaves on request: holds, trickles, floods. */
export async function startFaultReceiver(): Promise<FaultReceiver> {
  const open = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const receiver: FaultReceiver = {
    url: '',
    posts: [],
    behave: () => ({ kind: 'answer', status: 200, body: '{"received":true}' }),
    postsFor: (envelopeId) => receiver.posts.filter((post) => post.envelopeId === envelopeId),
    waitUntil: (check, what, timeoutMs) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const poll = () => {
          if (check(receiver.posts)) return resolve();
          if (closed) return reject(new Error(`receiver closed while waiting for ${what}`));
          if (Date.now() > deadline)
            return reject(
              new Error(`receiver: no ${what} within ${timeoutMs} ms (got ${receiver.posts.length} POSTs)`),
            );
          later(25, poll);
        };
        poll();
      }),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      untrack();
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const post: ReceivedPost = {
        envelopeId: envelopeIdOf(body),
        attemptNumber: Number(req.headers['x-lettermint-attempt'] ?? 0),
        signature: String(req.headers['x-lettermint-signature'] ?? ''),
        body,
        receivedAt: Date.now(),
        endedAt: undefined,
        abandoned: false,
        bytesWritten: 0,
      };
      receiver.posts.push(post);
      open.add(res);
      res.once('close', () => {
        open.delete(res);
        post.endedAt ??= Date.now();
        if (!res.writableFinished) post.abandoned = true;
      });
      res.once('finish', () => {
        post.endedAt ??= Date.now();
      });
      res.on('error', () => undefined);
      serve(receiver.behave(post), post, res);
    });
  });

  function serve(behaviour: ReceiverBehaviour, post: ReceivedPost, res: http.ServerResponse): void {
    const gone = () => res.destroyed || res.writableEnded || closed;
    switch (behaviour.kind) {
      case 'answer': {
        const body = behaviour.body ?? '';
        res.writeHead(behaviour.status, { 'content-type': 'application/json' });
        res.end(body);
        post.bytesWritten = Buffer.byteLength(body);
        return;
      }
      case 'hold': {
        let settled = false;
        const answer = (status: number) => {
          if (settled) return;
          settled = true;
          if (gone()) return;
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end('{}');
        };
        behaviour.release.then(answer, () => answer(500));
        later(behaviour.maxMs, () => answer(503));
        return;
      }
      case 'trickle': {
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' });
        res.flushHeaders();
        let sent = 0;
        const tick = () => {
          if (gone()) return;
          if (sent >= behaviour.bytes) {
            res.end();
            return;
          }
          res.write('.');
          sent += 1;
          post.bytesWritten = sent;
          later(behaviour.everyMs, tick);
        };
        later(behaviour.everyMs, tick);
        return;
      }
      case 'flood': {
        res.writeHead(behaviour.status, {
          'content-type': 'text/plain',
          ...(behaviour.contentLength ? { 'content-length': String(behaviour.totalBytes) } : {}),
        });
        const pump = () => {
          // Bounded by totalBytes; stops as soon as the client hangs up.
          while (!gone()) {
            const room = behaviour.totalBytes - post.bytesWritten;
            if (room <= 0) {
              res.end();
              return;
            }
            const chunk = room >= FLOOD_CHUNK.length ? FLOOD_CHUNK : FLOOD_CHUNK.subarray(0, room);
            post.bytesWritten += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
        };
        pump();
        return;
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const untrack = trackResource(receiver, `fault receiver at ${receiver.url}`);
  return receiver;
}

function envelopeIdOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? parsed.id : '';
  } catch {
    return '';
  }
}
