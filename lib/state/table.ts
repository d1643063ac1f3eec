/**
 * The state table's shape, in one place: serverless.yml takes its key schema and TTL attribute from here
 * (through serverless/state-table.cjs), the local stack creates the same table from it, and the store
 * writes the same attribute names.
 */

export const STATE_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB's TTL deletes the item some time after it (not at once, so reads check it too). */
  ttlAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
} as const;

/** CloudFormation's and CreateTable's KeySchema. */
export const stateKeySchema = () => [
  { AttributeName: STATE_TABLE.partitionKey, KeyType: 'HASH' as const },
  { AttributeName: STATE_TABLE.sortKey, KeyType: 'RANGE' as const },
];

/** CloudFormation's and CreateTable's AttributeDefinitions: only the keys are declared. */
export const stateAttributeDefinitions = () => [
  { AttributeName: STATE_TABLE.partitionKey, AttributeType: 'S' as const },
  { AttributeName: STATE_TABLE.sortKey, AttributeType: 'S' as const },
];

/** The table of a deployed stage (serverless.yml names it `${self:service}-${sls:stage}-state`). */
export const stateTableName = (stage: string): string => `vigil-${stage}-state`;

/** The local stack's table and the port its DynamoDB server listens on unless DYNAMODB_PORT says otherwise. */
export const LOCAL_STATE_TABLE = stateTableName('local');
export const DEFAULT_DYNAMODB_PORT = 8000;
/** Where the local stack persists the table unless VIGIL_STATE_DIR says otherwise (relative to the cwd). */
export const DEFAULT_STATE_DIR = '.vigil/state';
