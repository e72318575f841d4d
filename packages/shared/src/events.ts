import { Type, type Static } from 'typebox';

/**
 * The query of the event streams (`/api/events`, `/api/staff/events`). `lastEventId` stands in for
 * the `Last-Event-ID` header where a client cannot set it; anything but a known id gets `reset`,
 * so it is a plain string here, not a 400.
 */
export const EventStreamQuerySchema = Type.Object({
  lastEventId: Type.Optional(Type.String({ maxLength: 64 })),
});
export type EventStreamQuery = Static<typeof EventStreamQuerySchema>;
