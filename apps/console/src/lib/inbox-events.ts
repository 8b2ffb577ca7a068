import { tokenStore } from '../api/client';

/**
 * Follows `GET /api/v1/me/inbox-events` (server-sent events; the bearer token goes in a header, so fetch() rather
 * than EventSource) and calls `onChange` on `ready` and on each `inbox` event. Reconnects after a drop; returns a
 * function that stops it.
 */
export function followInboxEvents(onChange: () => void): () => void {
  const controller = new AbortController();
  let stopped = false;
  const connect = async () => {
    while (!stopped) {
      try {
        const token = tokenStore.get();
        if (!token) return;
        const response = await fetch('/api/v1/me/inbox-events', {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) return;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: ?(.*)$/m.exec(block)?.[1]?.trim();
            if (event === 'ready' || event === 'inbox') onChange();
          }
        }
      } catch {
        if (stopped) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  };
  void connect();
  return () => {
    stopped = true;
    controller.abort();
  };
}
