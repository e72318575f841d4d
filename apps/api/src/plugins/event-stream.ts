import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';

// Proxies and load balancers close a silent connection; a comment line every so often keeps it open.
const HEARTBEAT_MS = 25_000;
// A client reconnecting after a drop waits this long (EventSource `retry:`).
const RETRY_MS = 2_000;

/** Sends one named event with a JSON body. */
export type SendEvent = (event: string, data: unknown) => void;

export interface EventStreamSource {
  /** The first event's body (`hello`), once the source is listening: nothing written after it is missed. */
  hello: unknown;
  /** Starts sending this stream's events; returns how to stop. */
  subscribe(send: SendEvent): () => void;
}

/**
 * Server-sent event streams for one source of events (a LISTEN hub): the headers, the reconnection
 * delay, the heartbeat, the clean-up when the client leaves, and, when the server closes, every open
 * stream ended and the source closed (open streams would otherwise keep `close()` waiting forever).
 * Returns the function a route calls to turn its reply into a stream. `name` labels the streams in
 * the metrics (`pave_sse_clients`).
 */
export function createEventStreams(
  app: FastifyInstance,
  source: { close(): Promise<void> },
  name: string,
): (request: FastifyRequest, reply: FastifyReply, stream: EventStreamSource) => void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    await source.close();
  });

  return (request, reply, stream) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back.
      'x-accel-buffering': 'no',
    });
    const send: SendEvent = (event, data) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write(`retry: ${RETRY_MS}\n`);
    send('hello', stream.hello);
    const unsubscribe = stream.subscribe(send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    open.add(res);
    app.metrics.sseClients.inc({ stream: name });
    // Called by both the request's and the response's `close`: counts the stream out once.
    const stop = () => {
      if (!open.delete(res)) return;
      clearInterval(heartbeat);
      unsubscribe();
      app.metrics.sseClients.dec({ stream: name });
    };
    request.raw.once('close', stop);
    res.once('close', stop);
  };
}
