import type { ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';

/** The item writes the chaos proxy faults (X-Amz-Target `DynamoDB_20120810.<operation>`). */
export const WRITE_OPERATIONS = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
];
/** The item reads it faults too with `faultReads`. Table operations (CreateTable, DescribeTable…) always pass. */
export const READ_OPERATIONS = ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems'];

export type DynamoFault = 'throttle' | 'internal';

/**
 * DynamoDB's own answers (Developer Guide, "Error handling with DynamoDB"; API reference, "Common errors"):
 * the status, the exception named in the body's `__type` and in `x-amzn-ErrorType`, and the service's message.
 * The SDKs read the header first, then `__type`, and retry both (throttling, and any 500).
 */
export const DYNAMO_FAULTS = {
  throttle: {
    status: 400,
    type: 'ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  internal: { status: 500, type: 'InternalServerError', message: 'Internal server error' },
} as const satisfies Record<DynamoFault, { status: number; type: string; message: string }>;

/** The fault a roll in [0, 1) picks: throttles below the first share, 500s in the next, else none. */
export const pickFault = (
  roll: number,
  shares: { readonly throttleFraction: number; readonly internalErrorFraction: number },
): DynamoFault | undefined =>
  roll < shares.throttleFraction
    ? 'throttle'
    : roll < shares.throttleFraction + shares.internalErrorFraction
      ? 'internal'
      : undefined;

/** Answers as DynamoDB does when it refuses a request with `fault`. */
export const answerFault = (response: ServerResponse, fault: DynamoFault, requestId: string): void => {
  const { status, type, message } = DYNAMO_FAULTS[fault];
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': type,
    'x-amzn-requestid': requestId,
    // DynamoDB sends the body's CRC32 and some SDKs check it; zlib.crc32 arrived in Node 20.15
    ...(typeof zlib.crc32 === 'function' ? { 'x-amz-crc32': String(zlib.crc32(body)) } : {}),
  });
  response.end(body);
};
