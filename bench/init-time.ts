import { execFileSync } from 'node:child_process';

/** What Lambda's environment gives the functions, so their configuration loads at init as in AWS. */
export const LAMBDA_ENV = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/vigil-prod-events.fifo',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/vigil-prod-events-dlq.fifo',
  STATE_TABLE: 'vigil-prod-state',
  VIGIL_SECRET_ID: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:vigil/prod',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** Module init of a bundle: the time to `require` it in a fresh node process. */
const initOnce = (file: string): number =>
  Number(
    execFileSync(
      process.execPath,
      [
        '-e',
        `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`,
      ],
      { env: LAMBDA_ENV },
    ).toString(),
  );

/** `runs` init times of each bundle, taken round-robin (one of each bundle per round). */
export const initSamples = (files: readonly string[], runs: number): number[][] => {
  const samples = files.map((): number[] => []);
  for (let round = 0; round < runs; round++)
    for (const [index, file] of files.entries()) samples[index]?.push(initOnce(file));
  return samples;
};
