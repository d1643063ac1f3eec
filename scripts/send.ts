/**
 * `npm run send -- events/github/push.json [--source <name>] [--event <name>] [--to <url>] [--secret <s>]
 * [--delivery <id>]`: posts a sample or payload to the running local stack, signed or carrying its token as
 * the source would, and prints the status and answer (tools/send/cli.ts; --help says more).
 */
import { runSend } from '../tools/send/cli';

runSend(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`send: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
