/** What `--burst` sends: issue 20's burst by default, 2,000 webhooks in about 5 s over 64 connections. */
export interface BurstOptions {
  readonly webhooks: number;
  readonly seconds: number;
  readonly connections: number;
}

export const BURST_DEFAULTS: BurstOptions = { webhooks: 2000, seconds: 5, connections: 64 };

const flagValue = (args: readonly string[], flag: string): string | undefined =>
  args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);

/**
 * `--burst` (or `--burst=N` webhooks), `--burst-seconds=S` and `--burst-connections=C`: the burst to send,
 * undefined without `--burst`, or a sentence saying which flag to fix.
 */
export const parseBurstArgs = (args: readonly string[]): BurstOptions | undefined | { problem: string } => {
  const flag = args.find((a) => a === '--burst' || a.startsWith('--burst='));
  if (flag === undefined) return undefined;
  const webhooks = flag === '--burst' ? BURST_DEFAULTS.webhooks : Number(flag.slice('--burst='.length));
  if (!(Number.isInteger(webhooks) && webhooks >= 1))
    return {
      problem: `${flag}: the burst's size must be a whole number of webhooks, at least 1 (--burst=2000)`,
    };
  const seconds = Number(flagValue(args, '--burst-seconds') ?? BURST_DEFAULTS.seconds);
  if (!(seconds > 0)) return { problem: '--burst-seconds=S: S must be a number of seconds above 0' };
  const connections = Number(flagValue(args, '--burst-connections') ?? BURST_DEFAULTS.connections);
  if (!(Number.isInteger(connections) && connections >= 1))
    return { problem: '--burst-connections=C: C must be a whole number of connections, at least 1' };
  return { webhooks, seconds, connections };
};
