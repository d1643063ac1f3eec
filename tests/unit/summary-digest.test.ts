import { summaryChunks } from '../../lib/delivery/summary';
import type { VigilEvent } from '../../lib/event/model';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { alertGroup, workflowRun } from '../helpers/conversation-events';

const alert = (n: number, severity: 'critical' | 'warning' = 'warning'): VigilEvent => {
  const event = alertGroup(`am-${n}`, 'firing', 1, 0, `{}:{instance="node${n}"}`);
  return {
    ...event,
    severity,
    facts: {
      ...(event.facts as object),
      alerts: [{ status: 'firing', name: 'HighLatency', instance: `node${n}` }],
    },
  } as VigilEvent;
};

const run = (n: number, repos = 50): VigilEvent => {
  const event = workflowRun(`run-${n}`, 'failure', { repo: `acme/repo-${n % repos}`, runId: n });
  return { ...event, facts: { ...(event.facts as object), runNumber: 1000 + n } } as VigilEvent;
};

const text = (message: unknown) => JSON.stringify(message).replaceAll('\\u200b', '').replaceAll('\u200b', '');

describe('summary digests (a storm in a handful of cards)', () => {
  it('names 400 alerts and 200 runs in cards Cliq accepts, each event in exactly one card', () => {
    const events = [
      ...Array.from({ length: 400 }, (_, n) => alert(n + 1)),
      ...Array.from({ length: 200 }, (_, n) => run(n + 1)),
    ];
    const chunks = summaryChunks(events);
    expect(chunks.length).toBeLessThanOrEqual(2);
    for (const chunk of chunks) expect(cliqViolations(chunk.message)).toEqual([]);
    expect(chunks.flatMap((chunk) => chunk.events)).toHaveLength(600);
    expect(new Set(chunks.flatMap((chunk) => chunk.events))).toEqual(new Set(events));
    const all = chunks.map((chunk) => text(chunk.message)).join('\n');
    expect(all).toContain('HighLatency firing: 400');
    // each run links to its page, so a storm's summary is one click from every failing log
    for (let n = 1; n <= 200; n++)
      expect(all).toContain(`[#${1000 + n}](https://github.com/acme/repo-${n % 50}/actions/runs/${n})`);
    for (let n = 1; n <= 400; n++) expect(all).toMatch(new RegExp(`node${n}(,|\\")`));
  });

  it('grows by cards, not by cut text: 4,000 alerts still name every instance within Cliq limits', () => {
    const events = Array.from({ length: 4000 }, (_, n) => alert(n + 1));
    const chunks = summaryChunks(events);
    for (const chunk of chunks) expect(cliqViolations(chunk.message)).toEqual([]);
    expect(chunks.flatMap((chunk) => chunk.events)).toHaveLength(4000);
    expect(chunks.length).toBeLessThan(10);
  });

  it('puts critical groups first and keeps each subject’s events in arrival order', () => {
    const events = [run(1, 1), alert(7, 'critical'), run(2, 1), run(3, 1)];
    const [chunk] = summaryChunks(events);
    const body = text(chunk?.message);
    expect(body.indexOf('HighLatency')).toBeLessThan(body.indexOf('#1001'));
    expect(body.indexOf('#1001')).toBeLessThan(body.indexOf('#1002'));
    expect(body.indexOf('#1002')).toBeLessThan(body.indexOf('#1003'));
  });

  it('reads each subject in arrival order across groups: a resolve that came first is listed before the firing', () => {
    const on = (event: VigilEvent, service: string, instance: string, status: string): VigilEvent =>
      ({
        ...event,
        subject: { name: service },
        facts: { ...(event.facts as object), alerts: [{ status, name: 'HighLatency', instance }] },
      }) as VigilEvent;
    const events = [
      on(alertGroup('w1', 'firing', 1, 0), 'web', 'web-1', 'firing'),
      on({ ...alertGroup('a1', 'resolved', 0, 1), severity: 'warning' }, 'api', 'api-old', 'resolved'),
      on({ ...alertGroup('a2', 'firing', 1, 0), severity: 'warning' }, 'api', 'api-new', 'firing'),
      on(alertGroup('d1', 'firing', 1, 0), 'db', 'db-1', 'firing'),
    ];
    const [chunk] = summaryChunks(events);
    const body = text(chunk?.message);
    // api's resolve, then its new firing; the critical firings of web and db still lead the card
    expect(body.indexOf('api-old')).toBeLessThan(body.indexOf('api-new'));
    expect(body.indexOf('web-1')).toBeLessThan(body.indexOf('api-old'));
    expect(body.indexOf('db-1')).toBeLessThan(body.indexOf('api-old'));
    expect(chunk?.events).toHaveLength(4);
  });

  it('lets a critical event lead the card only when its subject has nothing routine before it', () => {
    const routine = { ...alertGroup('r1', 'resolved', 0, 1), title: 'api resolved first' } as VigilEvent;
    const critical = { ...alertGroup('c1', 'firing', 1, 0), title: 'api critical after' } as VigilEvent;
    const body = text(summaryChunks([routine, critical])[0]?.message);
    expect(body.indexOf('api resolved first')).toBeLessThan(body.indexOf('api critical after'));
  });

  it('escapes what an event says but keeps the links it adds', () => {
    const titled = { ...run(9, 1), facts: {}, title: '*[x](https://evil.example)* {@all}' } as VigilEvent;
    const body = JSON.stringify(summaryChunks([titled])[0]?.message);
    expect(body).not.toContain('{@all}');
    expect(body).not.toContain('[x](https://evil.example)');
    expect(body).toContain('](https://github.com/acme/repo-0/actions/runs/9)');
  });
});
