import { ok } from '../../result';
import { authenticateToken } from '../shared/alerting/authenticate';
import { alertGroupTitle, labelPairs, readAlertGroup } from '../shared/alerting/normalize';
import { configured, parsePayload } from '../shared/payload';
import type { SourceAdapter } from '../source';
import { AlertmanagerEvent } from './facts';

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
    const parsed = parsePayload(request.body, 'an Alertmanager notification');
    if (!parsed.ok) return parsed;
    const group = readAlertGroup(parsed.value, { silenceFromExternalUrl: true });
    const { facts, commonLabels } = group;
    const subject =
      commonLabels.service ??
      commonLabels.job ??
      commonLabels.namespace ??
      commonLabels.cluster ??
      facts.receiver ??
      'Alertmanager';
    const environment = commonLabels.env ?? commonLabels.environment;
    const url = facts.alerts.find((alert) => alert.generatorUrl)?.generatorUrl ?? facts.externalUrl;
    const event: AlertmanagerEvent = {
      v: 1,
      id: `alertmanager:${group.dedupKey}`,
      source: 'alertmanager',
      kind: `alertmanager.alert.${facts.status}`,
      occurredAt: (facts.status === 'firing' ? group.firstStartsAt : undefined) ?? receivedAt,
      receivedAt,
      severity: group.severity,
      outcome: facts.status === 'resolved' ? 'success' : 'failure',
      subject: { name: subject.slice(0, 255) },
      title: alertGroupTitle(facts, commonLabels).slice(0, 300),
      ...(url === undefined ? {} : { url }),
      ...(environment === undefined ? {} : { environment: environment.slice(0, 255) }),
      labels: labelPairs(commonLabels),
      facts,
    };
    return ok({ events: [event] });
  },

  schema: AlertmanagerEvent,
};
