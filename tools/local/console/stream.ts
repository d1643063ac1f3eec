import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Activity } from './activity';
import { isLoopbackHost } from './guard';

const HEARTBEAT_MS = 15_000;

/**
 * The live feed as Server-Sent Events: every entry the console knows, then each change as it happens
 * (`event: entry`, the entry as JSON). A reconnecting page gets the whole feed again.
 */
export const streamActivity =
  (activity: Activity) => (request: IncomingMessage, response: ServerResponse) => {
    if (!isLoopbackHost(request.headers.host)) {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: 'forbidden', message: 'the console answers on 127.0.0.1 or localhost only' }),
      );
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    const send = (entry: unknown) => response.write(`event: entry\ndata: ${JSON.stringify(entry)}\n\n`);
    response.write('retry: 1000\n\n');
    for (const entry of activity.entries().reverse()) send(entry);
    const unsubscribe = activity.subscribe(send);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };
