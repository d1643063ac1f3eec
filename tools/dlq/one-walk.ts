/** The end of the last walk queued for each DLQ in this process. */
const tails = new Map<string, Promise<void>>();

/**
 * Runs `walk` when every walk queued before it for the same DLQ has ended, so one process never has two walks
 * of one DLQ moving the same messages (the console's requests and the `dlq` commands share this queue).
 */
export const oneWalkAtATime = <T>(dlqUrl: string, walk: () => Promise<T>): Promise<T> => {
  const run = (tails.get(dlqUrl) ?? Promise.resolve()).then(walk);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(dlqUrl, tail);
  void tail.then(() => {
    if (tails.get(dlqUrl) === tail) tails.delete(dlqUrl);
  });
  return run;
};
