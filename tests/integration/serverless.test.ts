import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { DEFAULT_MAX_BODY_BYTES } from '../../lib/config';
import { MAX_MESSAGE_BYTES } from '../../lib/queue/size';
import { type RegisteredSource, SOURCES, sourceList } from '../../lib/sources/registry';
import { STATE_TABLE, stateAttributeDefinitions, stateKeySchema } from '../../lib/state/table';
import { gatewayThrottle } from '../../tools/local/gateway-throttle';
import type { LocalStack } from '../../tools/local/stack';
import { testStack } from '../helpers/local-stack';
import { readZip } from '../helpers/zip';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const SLS = join(ROOT, 'node_modules', '.bin', 'serverless');
// the developer's own Cliq URL or secrets must never leak into a test run
const { ZOHO_CLIQ_WEBHOOK_URL: _url, GITHUB_WEBHOOK_SECRET: _secret, ...inherited } = process.env;
const env = {
  ...inherited,
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SLS_TELEMETRY_DISABLED: '1',
};

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('serverless package (offline)', () => {
  let resources: Record<string, Resource>;

  beforeAll(async () => {
    await run(SLS, ['package', '--stage', 'prod', '--package', '.serverless-test'], {
      cwd: ROOT,
      env,
      timeout: 120_000,
    });
    const template = JSON.parse(
      readFileSync(join(ROOT, '.serverless-test', 'cloudformation-template-update-stack.json'), 'utf8'),
    );
    resources = template.Resources;
  }, 150_000);

  const ofType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type);

  /**
   * AWS CloudFormation User Guide, "DeletionPolicy attribute" and "UpdateReplacePolicy attribute": Retain
   * keeps a resource when its stack is deleted (`serverless remove`) or when an update replaces it.
   */
  it('keeps the state table, the dead-letter queue and the secret when the stack is removed or they are replaced', () => {
    for (const name of ['StateTable', 'EventsDeadLetterQueue', 'VigilSecret']) {
      expect([name, resources[name]]).toMatchObject([
        name,
        { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      ]);
    }
    // the events queue goes with the stack, so a redeploy of the stage can create it again
    expect(resources.EventsQueue).not.toHaveProperty('DeletionPolicy');
  });

  it('declares a FIFO queue that redrives to a FIFO DLQ after at least 5 receives, both kept 14 days and taking messages of 256 KiB', () => {
    const queue = resources.EventsQueue?.Properties;
    const dlq = resources.EventsDeadLetterQueue?.Properties;
    const shared = {
      FifoQueue: true,
      MessageRetentionPeriod: 1209600,
      MaximumMessageSize: MAX_MESSAGE_BYTES,
    };
    expect(queue).toMatchObject(shared);
    expect(dlq).toMatchObject(shared);
    const redrive = queue?.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
    expect(redrive.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] });
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
  });

  /**
   * Amazon SQS Developer Guide, "High throughput for FIFO queues": DeduplicationScope messageGroup and
   * FifoThroughputLimit perMessageGroupId give each message group its own quota instead of 300 calls a second
   * for the whole queue. Deduplication then holds within a group only, which keeps its meaning because a
   * deduplication id names (source, event, channel) and a channel always maps to one owner's group.
   */
  it("puts the events queue in high-throughput mode, deduplicating within each owner's group", () => {
    expect(resources.EventsQueue?.Properties).toMatchObject({
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  });

  // AWS CloudFormation User Guide, AWS::SQS::Queue (VisibilityTimeout, RedrivePolicy): the local stack's queue
  // must retry and dead-letter exactly as the deployed one, so both come from serverless/queue.json
  it('gives the local stack’s queue the same visibility timeout, redrive count and throughput mode as the deployed queue', async () => {
    const queue = resources.EventsQueue?.Properties;
    const deployed = {
      visibilityTimeoutSeconds: Number(queue?.VisibilityTimeout),
      maxReceiveCount: Number(
        (queue?.RedrivePolicy as { maxReceiveCount?: unknown } | undefined)?.maxReceiveCount,
      ),
      deduplicationScope: queue?.DeduplicationScope,
      fifoThroughputLimit: queue?.FifoThroughputLimit,
    };
    expect(deployed).toEqual({
      visibilityTimeoutSeconds: 1080,
      maxReceiveCount: 25,
      deduplicationScope: 'messageGroup',
      fifoThroughputLimit: 'perMessageGroupId',
    });
    const stack = await testStack();
    try {
      const { Attributes } = await stack.queues.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.queues.queueUrl,
          AttributeNames: ['All'],
        }),
      );
      expect({
        visibilityTimeoutSeconds: Number(Attributes?.VisibilityTimeout),
        maxReceiveCount: Number(JSON.parse(Attributes?.RedrivePolicy ?? '{}').maxReceiveCount),
        deduplicationScope: Attributes?.DeduplicationScope,
        fifoThroughputLimit: Attributes?.FifoThroughputLimit,
      }).toEqual(deployed);
    } finally {
      await stack.stop();
    }
  });

  it('alarms when anything is dead-lettered and when the oldest message waits too long', () => {
    expect(resources.DeadLettersAlarm?.Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'QueueName'] } }],
    });
    expect(resources.BacklogAlarm?.Properties).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage' });
    expect(Number(resources.BacklogAlarm?.Properties.Threshold)).toBe(1800);
  });

  it('maps the queue to the sender with partial batch responses and at most 10 records', () => {
    const [mapping] = ofType('AWS::Lambda::EventSourceMapping');
    expect(mapping?.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': ['EventsQueue', 'Arn'] },
    });
    expect(mapping?.Properties.BatchSize).toBeLessThanOrEqual(10);
    // the mapping's concurrency cap and the function's reserved concurrency agree
    const reserved = (
      resources.SenderLambdaFunction?.Properties as { ReservedConcurrentExecutions?: number } | undefined
    )?.ReservedConcurrentExecutions;
    const scaling = mapping?.Properties.ScalingConfig as { MaximumConcurrency?: number } | undefined;
    expect(reserved).toBe(5);
    expect(scaling?.MaximumConcurrency).toBe(reserved);
  });

  it('routes the webhook and health paths through the HTTP API', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map((route) => route.Properties.RouteKey);
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /health',
        ...Object.values(SOURCES).map((source) => `ANY ${source.route}`),
      ]),
    );
  });

  it('has one ingest function per registered source, with a role that may write its logs', () => {
    const names = ofType('AWS::Lambda::Function').map((fn) => fn.Properties.FunctionName);
    const logs = JSON.stringify(resources.IngestRole?.Properties.Policies);
    for (const source of Object.keys(SOURCES)) {
      expect(names).toContain(`vigil-prod-${source}`);
      expect(logs).toContain(`/aws/lambda/vigil-prod-${source}:*`);
    }
  });

  // header names every bundle carries anyway (the AWS SDK's own requests use them)
  const GENERIC = new Set(['authorization', 'request-id', 'x-request-id']);
  /** Names only one source uses: its event and signature headers, its delivery header, its secret keys. */
  const markersOf = (source: RegisteredSource): string[] =>
    [
      ...(source.eventHeader === undefined ? [] : [source.eventHeader]),
      ...Object.keys(source.samples.credentials('{}').headers),
      source.deliveryHeader,
      ...Object.keys(source.developmentSecrets),
    ].filter((marker) => !GENERIC.has(marker));

  it("packs into each ingest function only its own source: no other source's header or secret names", () => {
    const sizes: Record<string, number> = {};
    for (const fn of [...Object.keys(SOURCES), 'sender', 'health', 'github-redeliver']) {
      const code = readZip(join(ROOT, '.serverless-test', `${fn}.zip`)).get(`functions/${fn}.js`);
      sizes[fn] = Math.round((code?.length ?? 0) / 1024);
    }
    for (const source of sourceList()) {
      const code = readZip(join(ROOT, '.serverless-test', `${source.name}.zip`))
        .get(`functions/${source.name}.js`)
        ?.toString('utf8');
      expect(code).toContain(source.route);
      const own = new Set(markersOf(source));
      const foreign = sourceList()
        .filter((other) => other.name !== source.name)
        .flatMap(markersOf)
        .filter((marker) => !own.has(marker) && code?.includes(marker));
      expect({ fn: source.name, foreign }).toEqual({ fn: source.name, foreign: [] });
    }
    // the bundles' sizes, for the record (KiB of JavaScript, source maps aside)
    process.stdout.write(`bundle sizes (KiB): ${JSON.stringify(sizes)}\n`);
  });

  it('runs every function on nodejs22.x', () => {
    const runtimes = ofType('AWS::Lambda::Function').map((fn) => fn.Properties.Runtime);
    expect(runtimes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(runtimes)).toEqual(new Set(['nodejs22.x']));
  });

  it('grants no IAM action on a wildcard resource, and each role only what its function needs', () => {
    type Policy = { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } };
    const statements = ofType('AWS::IAM::Role').flatMap((role) =>
      (role.Properties.Policies as Policy[]).flatMap((policy) => policy.PolicyDocument.Statement),
    );
    for (const statement of statements) {
      const targets = [statement.Resource].flat();
      expect(targets).not.toContain('*');
      expect(statement.Action.some((action) => action.endsWith(':*') || action === '*')).toBe(false);
    }
    const actions = (name: string) =>
      (
        (resources[name]?.Properties.Policies ?? []) as {
          PolicyDocument: { Statement: { Action: string[] }[] };
        }[]
      ).flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => s.Action));
    expect(actions('IngestRole')).toEqual(
      expect.arrayContaining(['sqs:SendMessage', 'secretsmanager:GetSecretValue']),
    );
    expect(actions('IngestRole')).not.toContain('sqs:ReceiveMessage');
    expect(actions('SenderRole')).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'secretsmanager:GetSecretValue']),
    );
  });

  /**
   * GitHub does not redeliver a failed delivery ("Handling failed webhook deliveries"): the redelivery job runs
   * on a schedule (EventBridge `rate(5 minutes)`) with a role that may read the secret (GITHUB_API_TOKEN) and
   * write its own logs, nothing more: it touches no queue and no table.
   */
  it('schedules the GitHub redelivery job every 5 minutes, with a role that only reads the secret and writes its logs', () => {
    const fn = resources.GithubDashredeliverLambdaFunction?.Properties as
      | { FunctionName: string; Role: unknown; Environment: { Variables: Record<string, unknown> } }
      | undefined;
    expect(fn?.FunctionName).toBe('vigil-prod-github-redeliver');
    expect(fn?.Role).toEqual({ 'Fn::GetAtt': ['RedeliverRole', 'Arn'] });
    expect(fn?.Environment.Variables).toMatchObject({
      VIGIL_SECRET_ID: { Ref: 'VigilSecret' },
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_REDELIVER_WINDOW_MINUTES: '180',
    });
    const schedules = ofType('AWS::Events::Rule').map((rule) => rule.Properties);
    expect(schedules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ScheduleExpression: 'rate(5 minutes)',
          Targets: [
            expect.objectContaining({ Arn: { 'Fn::GetAtt': ['GithubDashredeliverLambdaFunction', 'Arn'] } }),
          ],
        }),
      ]),
    );
    type Statement = { Action: string[]; Resource: unknown };
    const statements = (
      (resources.RedeliverRole?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
    ).flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements.flatMap((statement) => statement.Action).sort()).toEqual(
      ['logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:GetSecretValue'].sort(),
    );
    expect(JSON.stringify(statements)).toContain('/aws/lambda/vigil-prod-github-redeliver:*');
    expect(
      statements.find((statement) => statement.Action.includes('secretsmanager:GetSecretValue'))?.Resource,
    ).toEqual([{ Ref: 'VigilSecret' }]);
  });

  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-dynamodb-table.html
  it('declares the state table per stage as the store and the local stack define it: on demand, TTL, encrypted, recoverable', () => {
    expect(resources.StateTable?.Type).toBe('AWS::DynamoDB::Table');
    expect(resources.StateTable?.Properties).toEqual({
      TableName: 'vigil-prod-state',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: stateKeySchema(),
      AttributeDefinitions: stateAttributeDefinitions(),
      TimeToLiveSpecification: { AttributeName: STATE_TABLE.ttlAttribute, Enabled: true },
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('lets only the sender read and write the state table, item by item or one owner’s outbox, the tick read the outbox index, and nothing else in DynamoDB', () => {
    type Statement = { Action: string[]; Resource: unknown };
    const dynamo = (role: string) =>
      (
        (resources[role]?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((policy) =>
        policy.PolicyDocument.Statement.filter((statement) =>
          statement.Action.some((action) => action.startsWith('dynamodb:')),
        ),
      );
    expect(dynamo('SenderRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem'],
        Resource: [{ 'Fn::GetAtt': ['StateTable', 'Arn'] }],
      },
    ]);
    expect(dynamo('TickRole')).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [{ 'Fn::GetAtt': ['StateTable', 'Arn'] }] },
    ]);
    expect(dynamo('IngestRole')).toEqual([]);
    expect(dynamo('HealthRole')).toEqual([]);
    const variables = (fn: string) =>
      (resources[fn]?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)
        ?.Variables ?? {};
    expect(variables('SenderLambdaFunction').STATE_TABLE).toEqual({ Ref: 'StateTable' });
    expect(variables('GithubLambdaFunction')).not.toHaveProperty('STATE_TABLE');
  });

  /**
   * AWS::ApiGatewayV2::Stage RouteSettings (CloudFormation reference): ThrottlingRateLimit and
   * ThrottlingBurstLimit in DefaultRouteSettings throttle every route of the stage.
   */
  it('throttles every route of the HTTP API, by default at 1,000 a second and bursts of 3,000, which a fail-fast 256-job matrix fits in', () => {
    const settings = resources.HttpApiStage?.Properties.DefaultRouteSettings as Record<string, unknown>;
    expect(Number(settings.ThrottlingRateLimit)).toBe(1000);
    expect(Number(settings.ThrottlingBurstLimit)).toBe(3000);
    // 256 workflow_job + 256 check_run completions within a second: the burst alone takes them
    expect(Number(settings.ThrottlingBurstLimit)).toBeGreaterThanOrEqual(2 * 256);
    // the local stack models the same bucket, from the same file (serverless/throttle.json)
    expect({
      rate: Number(settings.ThrottlingRateLimit),
      burst: Number(settings.ThrottlingBurstLimit),
    }).toEqual(gatewayThrottle({}, 'prod'));
  });

  it("limits bodies to 4 MiB, so an API Gateway event carrying one fits Lambda's 6 MB", () => {
    const github = resources.GithubLambdaFunction?.Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(github.Variables.MAX_BODY_BYTES).toBe(String(DEFAULT_MAX_BODY_BYTES));
  });

  it('passes queue URLs and the secret as CloudFormation references, not local values', () => {
    const github = resources.GithubLambdaFunction?.Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(github.Variables).toMatchObject({
      QUEUE_URL: { Ref: 'EventsQueue' },
      VIGIL_SECRET_ID: { Ref: 'VigilSecret' },
    });
  });
});

describe('serverless package with the throttle set at deploy time', () => {
  it('takes VIGIL_THROTTLE_RATE and VIGIL_THROTTLE_BURST over the stage default, and says which stage it built', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vigil-throttle-'));
    const { stdout, stderr } = await run(SLS, ['package', '--stage', 'qa', '--package', out], {
      cwd: ROOT,
      env: { ...env, VIGIL_THROTTLE_RATE: '5', VIGIL_THROTTLE_BURST: '10' },
      timeout: 120_000,
    });
    expect(`${stdout}${stderr}`).toContain(`Packaged stage qa (us-east-1) into ${out}`);
    expect(`${stdout}${stderr}`).not.toContain('--stage <name>');
    const template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    const settings = template.Resources.HttpApiStage.Properties.DefaultRouteSettings;
    expect(Number(settings.ThrottlingRateLimit)).toBe(5);
    expect(Number(settings.ThrottlingBurstLimit)).toBe(10);
    // and so does the local stack, from the same variables
    expect(gatewayThrottle({ VIGIL_THROTTLE_RATE: '5', VIGIL_THROTTLE_BURST: '10' }, 'qa')).toEqual({
      rate: 5,
      burst: 10,
    });
  }, 150_000);
});

describe('serverless without --stage', () => {
  it('packages stage local, saying so and that AWS needs --stage', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vigil-no-stage-'));
    const { stdout, stderr } = await run(SLS, ['package', '--package', out], {
      cwd: ROOT,
      env,
      timeout: 120_000,
    });
    expect(`${stdout}${stderr}`).toContain(`Packaged stage local (us-east-1) into ${out}`);
    expect(`${stdout}${stderr}`).toContain('For AWS, package or deploy with --stage <name>.');
  }, 150_000);

  it('refuses to deploy stage local, naming --stage, before any call to AWS', async () => {
    // every AWS SDK client honours AWS_ENDPOINT_URL, so any AWS call, even the account lookup `deploy` starts
    // with, would land on this server
    const calls: string[] = [];
    const aws = createServer((request, response) => {
      calls.push(`${request.method} ${request.url}`);
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => aws.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(aws.address() as AddressInfo).port}`;
    const awsEnv = {
      ...env,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: endpoint,
    };
    try {
      for (const args of [
        ['deploy'],
        ['deploy', '--stage', 'local'],
        ['deploy', 'function', '-f', 'github'],
      ]) {
        const failure = await run(SLS, args, { cwd: ROOT, env: awsEnv, timeout: 60_000 }).then(
          () => 'deployed',
          (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
        );
        expect(failure).toContain(
          `refusing to ${args.slice(0, args[1] === 'function' ? 2 : 1).join(' ')} stage local`,
        );
        expect(failure).toContain('serverless deploy --stage <name>');
      }
      expect(calls).toEqual([]);
    } finally {
      await new Promise((resolve) => aws.close(resolve));
    }
  }, 150_000);
});

describe('serverless package with an invalid routing file', () => {
  it('fails, naming the file, line and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bad-config-'));
    const config = join(dir, 'vigil.config.yaml');
    writeFileSync(config, 'default: drop\nroutes:\n  - { name: r, match: { colour: red }, drop: true }\n');
    const failure = await run(SLS, ['package', '--stage', 'prod', '--package', join(dir, 'out')], {
      cwd: ROOT,
      env: { ...env, VIGIL_CONFIG: config },
      timeout: 120_000,
    }).then(
      () => 'packaged',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(failure).toMatch(/vigil\.config\.yaml:3:\d+: routes\[0\]\.match has an unknown key "colour"/);
  }, 150_000);
});

describe('serverless invoke local (offline)', () => {
  const invoke = async (fn: string, path: string, extra: string[] = []) => {
    const { stdout } = await run(SLS, ['invoke', 'local', '-f', fn, '--path', path, ...extra], {
      cwd: ROOT,
      env,
      timeout: 60_000,
    });
    const start = stdout.lastIndexOf('\n{');
    return {
      stdout,
      result: JSON.parse(stdout.slice(start + 1)) as {
        statusCode?: number;
        body?: string;
        batchItemFailures?: unknown[];
      },
    };
  };

  it('answers the push sample with what it would have queued when no local stack runs', async () => {
    const { result } = await invoke('github', 'events/github/push.json', [
      '-e',
      'QUEUE_URL=http://127.0.0.1:1/000000000000/vigil-events.fifo',
    ]);
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body ?? '{}')).toMatchObject({
      dryRun: true,
      messages: [{ channel: 'default', event: { kind: 'github.push' } }],
    });
  }, 60_000);

  it.each([
    ['sentry', 'events/sentry/issue-created.json', 'sentry.issue.created'],
    ['docker', 'events/docker/hub-push.json', 'docker.hub.push'],
    ['alertmanager', 'events/alertmanager/firing.json', 'alertmanager.alert.firing'],
    ['grafana', 'events/grafana/firing.json', 'grafana.alert.firing'],
    ['gitlab', 'events/gitlab/job-failed.json', 'gitlab.job.failed'],
  ])(
    'runs %s on its sample offline',
    async (fn, path, kind) => {
      const { result } = await invoke(fn, path, [
        '-e',
        'QUEUE_URL=http://127.0.0.1:1/000000000000/vigil-events.fifo',
      ]);
      expect(result.statusCode).toBe(202);
      expect(JSON.parse(result.body ?? '{}')).toMatchObject({
        dryRun: true,
        messages: [{ event: { kind } }],
      });
    },
    60_000,
  );

  describe('with the local stack running', () => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await testStack();
    });
    afterAll(() => stack.stop());

    it('queues the sample on the local stack, which previews it', async () => {
      const { result } = await invoke('github', 'events/github/workflow_run-failure.json', [
        '-e',
        `QUEUE_URL=${stack.queues.queueUrl}`,
      ]);
      expect(result.statusCode).toBe(202);
      expect(JSON.parse(result.body ?? '{}')).toMatchObject({ queued: 1 });
      await stack.waitForIdle();
      expect(stack.previews.map((preview) => preview.kind)).toEqual(['github.workflow_run.completed']);
    }, 60_000);
  });

  it('runs the sender sample in preview mode and reports no failures', async () => {
    const { stdout, result } = await invoke('sender', 'events/sender/sqs-batch.json');
    expect(result.batchItemFailures).toEqual([]);
    expect(stdout).toContain('── Cliq preview · channel default · github.push ──');
  }, 60_000);
});
