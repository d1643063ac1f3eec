import { LIMITS, type Severity } from '../../event/fields';
import { at, count, str } from '../../util/json';
import { optional } from '../../util/object';
import { optionalText } from '../../util/text';
import { type GithubContext, type GithubParts, isoOrUndefined } from './common';

type AlertEvent = 'dependabot_alert' | 'code_scanning_alert' | 'secret_scanning_alert';

const severityOfAlert = (
  event: AlertEvent,
  level: string | undefined,
  action: string | undefined,
): Severity => {
  if (
    action !== undefined &&
    ['fixed', 'resolved', 'dismissed', 'closed_by_user', 'auto_dismissed'].includes(action)
  ) {
    return 'info';
  }
  if (event === 'secret_scanning_alert') return 'critical';
  switch (level?.toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'error':
      return 'error';
    case 'medium':
    case 'moderate':
    case 'warning':
      return 'warning';
    default:
      return 'info';
  }
};

/** dependabot_alert, code_scanning_alert, secret_scanning_alert. A leaked secret is always critical. */
export const normalizeSecurityAlert = ({
  payload,
  action,
  event,
}: GithubContext & { event: AlertEvent }): GithubParts => {
  const alert = at(payload, 'alert');
  const number = count(alert, 'number');
  const level =
    str(alert, 'security_advisory', 'severity') ??
    str(alert, 'security_vulnerability', 'severity') ??
    str(alert, 'rule', 'security_severity_level') ??
    str(alert, 'rule', 'severity');
  const pkg =
    str(alert, 'dependency', 'package', 'name') ?? str(alert, 'security_vulnerability', 'package', 'name');
  const summary = str(alert, 'security_advisory', 'summary') ?? str(alert, 'rule', 'description');
  const secretType = str(alert, 'secret_type_display_name') ?? str(alert, 'secret_type');
  const severity = severityOfAlert(event, level, action);
  const what =
    event === 'secret_scanning_alert'
      ? `Secret leaked: ${secretType ?? 'secret'}`
      : event === 'dependabot_alert'
        ? `Vulnerable dependency ${pkg ?? ''}: ${summary ?? ''}`
        : `Code scanning: ${summary ?? str(alert, 'rule', 'id') ?? 'alert'}`;
  return {
    title: `${what}${action === undefined ? '' : ` (${action.replace(/_/g, ' ')})`}`,
    outcome: severity === 'info' ? 'success' : 'failure',
    severity,
    url: str(alert, 'html_url'),
    branch: str(alert, 'most_recent_instance', 'ref')?.replace(/^refs\/heads\//, ''),
    occurredAt: isoOrUndefined(str(alert, 'updated_at') ?? str(alert, 'created_at')),
    facts: {
      type: 'security_alert',
      alert: event,
      ...optional('action', action),
      ...optional('number', number),
      ...optional('state', str(alert, 'state')?.slice(0, LIMITS.state)),
      ...optional('alertSeverity', level?.slice(0, LIMITS.state)),
      ...optional('summary', optionalText(summary, LIMITS.shortText)),
      ...optional('package', optionalText(pkg, LIMITS.shortText)),
      ...optional('manifest', optionalText(str(alert, 'dependency', 'manifest_path'), LIMITS.name)),
      ...optional(
        'rule',
        optionalText(str(alert, 'rule', 'id') ?? str(alert, 'rule', 'name'), LIMITS.shortText),
      ),
      ...optional('tool', optionalText(str(alert, 'tool', 'name'), LIMITS.shortText)),
      ...optional('secretType', optionalText(secretType, LIMITS.shortText)),
      ...optional(
        'fixedIn',
        optionalText(
          str(alert, 'security_vulnerability', 'first_patched_version', 'identifier'),
          LIMITS.shortText,
        ),
      ),
    },
  };
};
