/**
 * `npm run dlq -- list | show <id> | redrive [--dry-run] [--filter <kind glob>]  [--stage <stage>] [--json]`
 * Without --stage it works on the local stack's embedded SQS (SQS_PORT, default 9324); with --stage it
 * works on that deployed stage's queues in AWS (credentials and region from the usual AWS settings).
 */

import { parseArgs } from 'node:util';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { globMatches } from '../lib/routing/match';
import { age } from '../tools/dlq/age';
import { listDeadLetters, type Queues, redrive, summarize } from '../tools/dlq/dead-letters';
import { DLQ_NAME, LOCAL_ACCOUNT, QUEUE_NAME } from '../tools/local/sqs-server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stage: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    filter: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const queuesFor = async (): Promise<Queues> => {
  if (values.stage === undefined) {
    const endpoint = `http://127.0.0.1:${process.env.SQS_PORT ?? 9324}`;
    const client = new SQSClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return {
      client,
      queueUrl: `${endpoint}/${LOCAL_ACCOUNT}/${QUEUE_NAME}`,
      dlqUrl: `${endpoint}/${LOCAL_ACCOUNT}/${DLQ_NAME}`,
    };
  }
  const client = new SQSClient({});
  const url = async (name: string) =>
    (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl ?? '';
  return {
    client,
    queueUrl: await url(`vigil-${values.stage}-events.fifo`),
    dlqUrl: await url(`vigil-${values.stage}-events-dlq.fifo`),
  };
};

const print = (text: string) => process.stdout.write(`${text}\n`);

const main = async () => {
  const [command, id] = positionals;
  const queues = await queuesFor();
  switch (command) {
    case 'list': {
      const letters = await listDeadLetters(queues);
      if (values.json)
        return print(
          JSON.stringify(
            { summary: summarize(letters), letters: letters.map(({ body: _body, ...rest }) => rest) },
            null,
            2,
          ),
        );
      print(`${letters.length} message(s) in the dead-letter queue`);
      for (const row of summarize(letters))
        print(
          `  ${String(row.count).padStart(4)} × ${row.reason}, oldest ${age(row.oldestSeconds)} (${row.kinds.join(', ')})`,
        );
      for (const letter of letters)
        print(
          `  ${letter.id}  ${age(letter.ageSeconds).padStart(4)}  ${letter.reason}  ${letter.kind} → ${letter.channel}${letter.detail ? `: ${letter.detail}` : ''}`,
        );
      return;
    }
    case 'show': {
      const letter = (await listDeadLetters(queues)).find((candidate) => candidate.id === id);
      if (letter === undefined) {
        process.stderr.write(`no dead letter ${id ?? '(give an id from dlq list)'}\n`);
        process.exit(1);
      }
      const { body, ...rest } = letter;
      let message: unknown;
      try {
        message = JSON.parse(body);
      } catch {
        // an invalid_message letter: its body is what was queued, shown as text
        message = body.length > 4000 ? `${body.slice(0, 4000)}…` : body;
      }
      return print(JSON.stringify({ ...rest, message }, null, 2));
    }
    case 'redrive': {
      const pattern = values.filter;
      const result = await redrive(queues, {
        dryRun: values['dry-run'],
        ...(pattern === undefined ? {} : { kind: (kind: string) => globMatches(pattern, kind) }),
      });
      if (values.json)
        return print(
          JSON.stringify({ ...result, moved: result.moved.map(({ body: _body, ...rest }) => rest) }, null, 2),
        );
      print(
        `${result.dryRun ? 'would move' : 'moved'} ${result.moved.length} message(s) back to the queue${result.task ? ` (move task ${result.task})` : ''}`,
      );
      for (const letter of result.moved) print(`  ${letter.id}  ${letter.kind} → ${letter.channel}`);
      return;
    }
    default:
      process.stderr.write(
        'usage: npm run dlq -- list | show <id> | redrive [--dry-run] [--filter <kind glob>] [--stage <stage>] [--json]\n',
      );
      process.exit(2);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`dlq: ${(error as Error).message}\n`);
  process.exit(1);
});
