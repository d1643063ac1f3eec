import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import type { OutboxStore } from '../../lib/state/outbox-store';
import type { StateStore } from '../../lib/state/store';

/**
 * How a DynamoDB call goes wrong. `throttled`, `throttling`, `server` and `timeout` fail before the table
 * changed, as the SDK throws them once its own retries are spent. `applied` is a write DynamoDB applied whose
 * answer timed out; `raced` is a write another writer made first, the same one (another container sent the
 * same event), so this one loses its condition. On a read, both are a plain timeout and nothing.
 */
export const FAULTS = ['throttled', 'throttling', 'server', 'timeout', 'applied', 'raced'] as const;
export type Fault = (typeof FAULTS)[number];

const timeout = () =>
  Object.assign(new Error('the request socket timed out after 3000 ms of inactivity'), {
    name: 'TimeoutError',
  });

/** The error the AWS SDK throws for a fault that leaves the table as it was. */
export const dynamoError = (fault: 'throttled' | 'throttling' | 'server' | 'timeout'): Error => {
  switch (fault) {
    case 'throttled':
      return new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded',
        $metadata: { httpStatusCode: 400 },
      });
    case 'throttling':
      return new ThrottlingException({
        message: 'Rate of requests exceeds the allowed throughput',
        $metadata: { httpStatusCode: 400 },
      });
    case 'server':
      return new InternalServerError({
        message: 'Internal server error',
        $metadata: { httpStatusCode: 500 },
      });
    default:
      return timeout();
  }
};

/**
 * `store` with DynamoDB's faults on its ledger and conversation calls: `faultAt` is asked for each call, by
 * its index among them (from 0). `most` bounds the faults within any run of calls (`most.faults` within
 * `most.within`), so that a write the sender retries within one call goes through in the end, as it does
 * when DynamoDB throttles for a moment. `faults` lists what was injected.
 */
export const faultyStore = (
  store: StateStore,
  faultAt: (call: number, method: string) => Fault | undefined,
  options: { readonly most?: { readonly faults: number; readonly within: number } } = {},
) => {
  const faults: { call: number; method: string; fault: Fault }[] = [];
  let calls = 0;
  const next = (method: string): Fault | undefined => {
    const call = calls++;
    const { most } = options;
    const recent = most === undefined ? 0 : faults.filter((f) => f.call > call - most.within).length;
    const fault = most !== undefined && recent >= most.faults ? undefined : faultAt(call, method);
    if (fault !== undefined) faults.push({ call, method, fault });
    return fault;
  };
  const read =
    <A extends unknown[], T>(method: string, run: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      const fault = next(method);
      if (fault === undefined) return run(...args);
      throw fault === 'applied' || fault === 'raced' ? timeout() : dynamoError(fault);
    };
  const write =
    <A extends unknown[]>(method: string, run: (...args: A) => Promise<boolean>) =>
    async (...args: A): Promise<boolean> => {
      const fault = next(method);
      if (fault === undefined) return run(...args);
      if (fault === 'applied') {
        await run(...args);
        throw timeout();
      }
      if (fault === 'raced') {
        // the other writer's write, with the same condition: this one then finds its condition false
        await run(...args);
        return false;
      }
      throw dynamoError(fault);
    };
  const faulty: StateStore = {
    getDelivery: read('getDelivery', store.getDelivery),
    recordDelivery: write('recordDelivery', store.recordDelivery),
    listDeliveries: (filter) => store.listDeliveries(filter),
    getConversation: read('getConversation', store.getConversation),
    putConversation: write('putConversation', store.putConversation),
  };
  return { store: faulty, faults, next };
};

/**
 * `outbox` with the same faults, drawn from `next` (a faultyStore's, so one index counts every call to the
 * table). Its writes are unconditional puts and deletes: `applied` and `raced` both leave the write done
 * and time out (the only other writer of an owner's parts would be this sender's own earlier try).
 * Reading the index of waiting owners fails as a Query does, before its first page.
 */
export const faultyOutboxStore = (
  outbox: OutboxStore,
  next: (method: string) => Fault | undefined,
): OutboxStore => {
  const failed = (fault: Fault) =>
    fault === 'applied' || fault === 'raced' ? timeout() : dynamoError(fault);
  const read =
    <A extends unknown[], T>(method: string, run: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      const fault = next(method);
      if (fault !== undefined) throw failed(fault);
      return run(...args);
    };
  const write =
    <A extends unknown[]>(method: string, run: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      const fault = next(method);
      if (fault === undefined) return run(...args);
      if (fault === 'applied' || fault === 'raced') await run(...args);
      throw failed(fault);
    };
  return {
    readOutbox: read('readOutbox', outbox.readOutbox),
    writeOutboxPart: write('writeOutboxPart', outbox.writeOutboxPart),
    deleteOutboxPart: write('deleteOutboxPart', outbox.deleteOutboxPart),
    markWaiting: write('markWaiting', outbox.markWaiting),
    async *waitingOwners() {
      const fault = next('waitingOwners');
      if (fault !== undefined) throw failed(fault);
      yield* outbox.waitingOwners();
    },
  };
};
