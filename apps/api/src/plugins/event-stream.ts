import { readEventLog, type EventStreamName, type LoggedEvent } from '@pave/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';

// Proxies and load balancers close a silent connection; a comment line every so often keeps it open.
const HEARTBEAT_MS = 25_000;
// A client reconnecting after a drop waits this long (EventSource `retry:`).
const RETRY_MS = 2_000;
// A client that missed more than this reloads (`reset`) instead: one reload is cheaper than a flood.
const REPLAY_LIMIT = 1_000;
// PostgreSQL's bigint: a longer or larger `Last-Event-ID` is garbage, answered with `reset`.
const MAX_EVENT_ID = 9_223_372_036_854_775_807n;

/** One named event with a JSON body. */
export interface EventMessage {
  event: string;
  data: unknown;
}

export interface EventStreamSource<T> {
  /**
   * The body of `hello` (a new client) and of `reset` (a client whose resume cannot be served, which
   * reloads its data). Read once the source is listening: nothing written after it is missed.
   */
  hello(): Promise<unknown>;
  /** Calls `listener` for every live event until the returned function is called. */
  subscribe(listener: (event: LoggedEvent<T>) => void): () => void;
  /** What this client gets for an event, live or replayed, or null when it is not for this client. */
  toMessage(event: T): EventMessage | null;
}

/**
 * Server-sent event streams for one source of events (a LISTEN hub) and its stream in the event log
 * (migration 020): the headers, the reconnection delay, the heartbeat, the clean-up when the client
 * leaves, and, when the server closes, every open stream ended and the source closed (open streams
 * would otherwise keep `close()` waiting forever).
 *
 * Every event carries its log id (`id:`), which orders events across every API process. A client
 * that comes back with `Last-Event-ID` (EventSource sends it on reconnection) or `?lastEventId=`
 * first gets the events it missed from the log, then the live ones; one whose id the log no longer
 * covers gets `reset`. `parse` keeps the known fields of a logged payload, as the hub does live.
 * Returns the function a route calls (after the source is listening) to turn its reply into a stream.
 */
export function createEventStreams<T>(
  app: FastifyInstance,
  source: { close(): Promise<void> },
  options: { stream: EventStreamName; parse: (payload: unknown) => T | null },
): (request: FastifyRequest, reply: FastifyReply, stream: EventStreamSource<T>) => Promise<void> {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    await source.close();
  });

  return async (request, reply, stream) => {
    const resumeFrom = readLastEventId(request);
    // Subscribe before reading the log, and hold live events until the log is sent: an event that
    // commits in between is in both, and the ids drop the second copy.
    let held: LoggedEvent<T>[] | null = [];
    let deliver: (event: LoggedEvent<T>) => void = () => {};
    const unsubscribe = stream.subscribe((event) => (held ? held.push(event) : deliver(event)));
    let hello: unknown;
    let log: Awaited<ReturnType<typeof readEventLog>>;
    try {
      hello = await stream.hello();
      log = await readEventLog(app.deps.db, options.stream, resumeFrom?.id ?? null, REPLAY_LIMIT);
    } catch (error) {
      unsubscribe();
      throw error;
    }

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back.
      'x-accel-buffering': 'no',
    });
    const write = (id: bigint, message: EventMessage) =>
      res.write(`id: ${id}\nevent: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`);
    res.write(`retry: ${RETRY_MS}\n`);

    let lastId: bigint;
    let replay: LoggedEvent<unknown>[] = [];
    if (!resumeFrom) {
      lastId = log.newestId;
      write(lastId, { event: 'hello', data: hello });
    } else if (!log.events) {
      lastId = log.newestId;
      write(lastId, { event: 'reset', data: hello });
    } else {
      lastId = resumeFrom.id!;
      replay = log.events;
    }
    deliver = ({ eventId, event }) => {
      const id = BigInt(eventId);
      if (id <= lastId) return;
      lastId = id;
      const message = stream.toMessage(event);
      if (message) write(id, message);
    };
    for (const { eventId, event } of replay) {
      const parsed = options.parse(event);
      if (parsed !== null) deliver({ eventId, event: parsed });
    }
    for (const event of held) deliver(event);
    held = null;

    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    open.add(res);
    app.metrics.sseClients.inc({ stream: options.stream });
    // Called by both the request's and the response's `close`: counts the stream out once.
    const stop = () => {
      if (!open.delete(res)) return;
      clearInterval(heartbeat);
      unsubscribe();
      app.metrics.sseClients.dec({ stream: options.stream });
    };
    request.raw.once('close', stop);
    res.once('close', stop);
    if (res.destroyed) stop();
  };
}

/**
 * The id the client resumes after: the `Last-Event-ID` header, else `?lastEventId=`; undefined when
 * neither is given, `{ id: null }` when what is given is no event id.
 */
function readLastEventId(request: FastifyRequest): { id: bigint | null } | undefined {
  const header = request.headers['last-event-id'];
  const query = (request.query as { lastEventId?: unknown } | undefined)?.lastEventId;
  const value = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,19}$/.test(trimmed)) return { id: null };
  const id = BigInt(trimmed);
  return { id: id <= MAX_EVENT_ID ? id : null };
}
