import { json } from '../lib/http/response';
import { sourceList } from '../lib/sources/registry';

/** GET /health: the function answers and knows its routes. Queue depths are CloudWatch's job in AWS. */
export const handler = async () =>
  json(200, { status: 'ok', service: 'vigil', routes: sourceList().map((source) => source.route) });
