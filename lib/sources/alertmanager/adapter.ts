import { bodyText } from '../../http/request';
import { ok } from '../../result';
import { authenticateToken } from '../shared/alerting/authenticate';
import { configured, parsePayload } from '../shared/payload';
import { requireFields } from '../shared/shape';
import type { SourceAdapter } from '../source';
import { AlertmanagerEvent } from './facts';
import { normalizeAlertmanager } from './normalize';

export const ALERTMANAGER_TOKEN_KEY = 'ALERTMANAGER_TOKEN';

const HINT = `set http_config.authorization.credentials (or basic_auth.password) of the webhook_config to ${ALERTMANAGER_TOKEN_KEY}`;

/** Prometheus Alertmanager's webhook_config: one message per notification group. */
export const alertmanager: SourceAdapter<AlertmanagerEvent> = {
  name: 'alertmanager',
  route: '/webhooks/alertmanager',
  methods: ['POST'],
  deliveryHeader: 'x-request-id',
  contentTypes: ['application/json'],
  developmentSecrets: { [ALERTMANAGER_TOKEN_KEY]: 'vigil-development-token' },

  authenticate(request, secrets) {
    const tokens = configured(secrets, ALERTMANAGER_TOKEN_KEY, 'Alertmanager');
    return tokens.ok ? authenticateToken(request, tokens.value, HINT) : tokens;
  },

  accept(request, receivedAt) {
    const parsed = parsePayload(bodyText(request), 'an Alertmanager notification');
    if (!parsed.ok) return parsed;
    // Alertmanager's webhook_config always sends both (prometheus/alertmanager notify/webhook: Message)
    const shaped = requireFields(parsed.value, 'an Alertmanager notification', {
      alerts: 'array',
      status: 'string',
    });
    if (!shaped.ok) return shaped;
    return ok({ events: [normalizeAlertmanager(shaped.value, receivedAt)] });
  },

  schema: AlertmanagerEvent,
};
