import type { Subject } from '../../conversation/subject-key';
import { alertGroupSubject } from '../shared/alerting/subject';
import type { AlertmanagerEvent } from './facts';

/** Every Alertmanager notification is an alert group's. */
export const alertmanagerSubject = (event: AlertmanagerEvent): Subject =>
  alertGroupSubject('alertmanager', event.facts);
