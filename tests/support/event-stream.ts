export interface Frame {
  /** The `id:` line, if any (the event log id). */
  id?: string;
  event: string;
  data: Record<string, unknown>;
  raw: string;
}

/** Opens a server-sent event stream and hands out its frames one by one, as an EventSource would parse them. */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let pending: ReturnType<typeof reader.read> | undefined;
  const next = async (timeoutMs = 2_000): Promise<Frame> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = raw.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
        if (event && data) return { id, event, data: JSON.parse(data) as Record<string, unknown>, raw };
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      // A read outlives a timeout: the next call takes its chunk instead of losing it.
      pending ??= reader.read();
      const chunk = await Promise.race([
        pending,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), left)),
      ]);
      pending = undefined;
      if (chunk.done) throw new Error('stream ended');
      buffer += chunk.value;
    }
  };
  return { response, next, close: () => controller.abort() };
}
