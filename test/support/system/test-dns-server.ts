import dgram from 'node:dgram';
import { decode, encode, RECURSION_AVAILABLE, RECURSION_DESIRED, type Answer } from 'dns-packet';
import { trackResource } from './open-resources';

/** One question that reached the server. */
export interface DnsQuestion {
  name: string;
  type: string;
  receivedAt: number;
}

/**
 * How the server answers a question: records (absent families get an empty NOERROR answer), an error code, or
 * 'silent' to answer nothing at all, as a black-holed name server does.
 */
export type DnsAnswer = 'silent' | 'NXDOMAIN' | 'SERVFAIL' | { A?: string[]; AAAA?: string[]; ttl?: number };

/** A DNS server on 127.0.0.1 (UDP) that records every question and answers as told; silent unless told otherwise. */
export interface TestDnsServer {
  /** `127.0.0.1:port`, for a resolver's `servers`. */
  address: string;
  questions: DnsQuestion[];
  answer: (name: string, type: string) => DnsAnswer;
  /** The questions asked about `name`, of any type. */
  questionsAbout(name: string): DnsQuestion[];
  close(): Promise<void>;
}

const RCODES = { NXDOMAIN: 3, SERVFAIL: 2 } as const;

export async function startTestDnsServer(answer?: TestDnsServer['answer']): Promise<TestDnsServer> {
  const socket = dgram.createSocket('udp4');
  const server: TestDnsServer = {
    address: '',
    questions: [],
    answer: answer ?? (() => 'silent'),
    questionsAbout: (name) => server.questions.filter((question) => question.name === name),
    close: async () => {
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      untrack();
    },
  };
  socket.on('message', (message, remote) => {
    const query = decode(message);
    const question = query.questions?.[0];
    if (question === undefined) return;
    server.questions.push({ name: question.name, type: question.type, receivedAt: Date.now() });
    const decided = server.answer(question.name, question.type);
    if (decided === 'silent') return;
    let flags = RECURSION_DESIRED | RECURSION_AVAILABLE;
    const answers: Answer[] = [];
    if (decided === 'NXDOMAIN' || decided === 'SERVFAIL') {
      flags |= RCODES[decided];
    } else if (question.type === 'A' || question.type === 'AAAA') {
      for (const data of decided[question.type] ?? []) {
        answers.push({ type: question.type, class: 'IN', name: question.name, ttl: decided.ttl ?? 60, data });
      }
    }
    socket.send(
      encode({ type: 'response', id: query.id, flags, questions: query.questions, answers }),
      remote.port,
      remote.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  server.address = `127.0.0.1:${socket.address().port}`;
  const untrack = trackResource(server, `test DNS server at ${server.address}`);
  return server;
}
