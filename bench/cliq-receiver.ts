import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The least that answers like Cliq's message API for timing: every POST is accepted with a message id (what a
 * `sync_message` post gets; thread replies accept the same answer), and the moment each arrives is kept.
 */
export const startCliqReceiver = async () => {
  const arrivals: number[] = [];
  const waiters: (() => void)[] = [];
  let next = 117_280_617_320;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push(performance.now());
      for (const wake of waiters.splice(0)) wake();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message_id: `${Date.now()}_${next++}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    channelUrl: `http://127.0.0.1:${port}/api/v2/channelsbyname/bench/message?zapikey=bench`,
    arrivals,
    /** Resolves with the arrival time of post number `count` (1-based), or rejects after `timeoutMs`. */
    async arrival(count: number, timeoutMs: number): Promise<number> {
      const deadline = performance.now() + timeoutMs;
      while (arrivals.length < count) {
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`no post reached the Cliq receiver within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return arrivals[count - 1] ?? 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
