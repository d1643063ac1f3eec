// The state table's key schema and TTL attribute for serverless.yml, read from lib/state/table.ts, the one
// definition the store and the local stack follow too.
require('esbuild-register/dist/node').register({ target: 'node20' });
const { STATE_TABLE, stateAttributeDefinitions, stateKeySchema } = require('../lib/state/table');

module.exports = {
  billingMode: STATE_TABLE.billingMode,
  keySchema: stateKeySchema(),
  attributeDefinitions: stateAttributeDefinitions(),
  ttlAttribute: STATE_TABLE.ttlAttribute,
};
