// A small HTTP receiver on loopback for the alert tests: it records every
// request, drops a repeat by its Idempotency-Key (as a receiver that honours
// it does), verifies the HMAC signature on its own (node:crypto, not the code
// under test), and can be told to fail, hang or go away.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  /** The signature checked out (null when there was no secret to check with). */
  signatureValid: boolean | null;
  /** Not seen before by its idempotency key. */
  first: boolean;
}

/** A status to answer with, or 'hang': act on the request but never answer. */
export type Reply = number | 'hang';

export interface ReceiverOptions {
  /** The shared HMAC secret to verify signatures with. */
  secret?: string;
  /** The status (or 'hang') for each request in turn; default 200. */
  reply?: (request: Received, index: number) => Reply | Promise<Reply>;
}

export interface TestReceiver {
  url: string;
  port: number;
  requests: Received[];
  /** Requests accepted for the first time, by idempotency key. */
  accepted: () => Received[];
  /** Stops listening (the receiver is "down") and drops open connections. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export function verifySignature(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const timestamp = String(headers['x-driftwatch-timestamp'] ?? '');
  const given = Buffer.from(String(headers['x-driftwatch-signature'] ?? ''));
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startReceiver(options: ReceiverOptions = {}, port = 0): Promise<TestReceiver> {
  const requests: Received[] = [];
  const seen = new Set<string>();
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try { json = JSON.parse(body); } catch { /* recorded as is */ }
      const key = String(req.headers['idempotency-key'] ?? (json as { idempotencyKey?: string } | null)?.idempotencyKey ?? '');
      const received: Received = {
        path: req.url ?? '', headers: req.headers, body, json,
        signatureValid: options.secret === undefined ? null : verifySignature(options.secret, req.headers, body),
        first: false,
      };
      const index = requests.push(received) - 1;
      const reply = (await options.reply?.(received, index)) ?? 200;
      // 'hang': the receiver acts on it, but the answer never leaves (a crash, a cut connection).
      if ((reply === 'hang' || (reply >= 200 && reply < 300)) && key) {
        received.first = !seen.has(key);
        seen.add(key);
      }
      if (reply === 'hang') return;
      res.writeHead(reply, { 'content-type': 'text/plain' }).end(reply < 300 ? 'ok' : 'receiver says no');
    });
  };
  let server = http.createServer(handler);
  const listen = (p: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const actual = await listen(port);
  const receiver: TestReceiver = {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    accepted: () => requests.filter((r) => r.first),
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
    restart: async () => {
      server = http.createServer(handler);
      await listen(actual);
    },
  };
  return receiver;
}
