import dgram from 'node:dgram';
import net from 'node:net';

import { takeStreamMessage } from '../../src/sip/sip-message.js';

/** A NOTIFY as the fake phone received it. */
export interface ReceivedRequest {
  text: string;
  receivedAt: number;
  /** Value of the named header (case-insensitive), or undefined. */
  header(name: string): string | undefined;
}

export type RequestHandler = (request: ReceivedRequest, index: number, reply: (response: string) => void) => void;

/** Builds a response that copies Via, From, To, Call-ID and CSeq from the request. */
export function responseTo(request: ReceivedRequest, status: number, reason: string, extraHeaders: string[] = []): string {
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...request.text.split('\r\n').filter((line) => /^(Via|From|Call-ID|CSeq):/i.test(line)),
    `To: ${request.header('To') ?? ''};tag=phone`,
    ...extraHeaders,
    'Content-Length: 0',
  ];
  return lines.join('\r\n') + '\r\n\r\n';
}

function toReceived(text: string): ReceivedRequest {
  return {
    text,
    receivedAt: performance.now(),
    header(name) {
      const line = text.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(name.toLowerCase() + ':'));
      return line?.slice(name.length + 1).trim();
    },
  };
}

/** A UDP peer on 127.0.0.1 that records every request and lets the test reply to it. */
export async function startUdpPhone(handler: RequestHandler = () => {}): Promise<{
  port: number;
  received: ReceivedRequest[];
  sources: string[];
  close(): Promise<void>;
}> {
  const socket = dgram.createSocket('udp4');
  const received: ReceivedRequest[] = [];
  const sources: string[] = [];
  let closed = false;

  // A reply scheduled by a handler may fire after the test closed the phone, so it is dropped then.
  socket.on('message', (message, remote) => {
    const request = toReceived(message.toString('utf8'));
    received.push(request);
    sources.push(`${remote.address}:${remote.port}`);
    handler(request, received.length - 1, (response) => {
      if (!closed) socket.send(response, remote.port, remote.address);
    });
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));

  return {
    port: socket.address().port,
    received,
    sources,
    close: () => {
      closed = true;
      return new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** A TCP peer on 127.0.0.1 that frames requests like a phone and lets the test reply to them. */
export async function startTcpPhone(handler: RequestHandler = () => {}): Promise<{
  port: number;
  received: ReceivedRequest[];
  connections: number;
  close(): Promise<void>;
}> {
  const received: ReceivedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };

  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());

    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let framed = takeStreamMessage(buffer); framed !== undefined; framed = takeStreamMessage(buffer)) {
        buffer = framed.rest;
        const request = toReceived(framed.message.toString('utf8'));
        received.push(request);
        handler(request, received.length - 1, (response) => {
          if (!socket.destroyed) socket.write(response);
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
