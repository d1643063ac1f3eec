import fc from 'fast-check';
import { fitMessage } from '../../lib/cliq/fit';
import { digestMessages } from '../../lib/delivery/digest';
import type { VigilEvent } from '../../lib/event/model';
import { cliqViolations } from '../../tools/harness/cliq-stand-in';
import { githubPush } from '../helpers/github-push';

const base = githubPush('x');

const eventArb = fc.record({
  n: fc.nat(),
  subject: fc.constantFrom('acme/api', 'acme/web', 'payments', 'x'.repeat(255)),
  title: fc.string({ maxLength: 300 }),
  url: fc.option(fc.oneof(fc.webUrl(), fc.constant(`https://example.com/${'p'.repeat(2000)}`)), {
    nil: undefined,
  }),
  outcome: fc.constantFrom('success', 'failure', 'none' as const),
});

describe('digestMessages', () => {
  it('lists every event in exactly one card, each within Cliq limits and untouched by fitting', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { minLength: 1, maxLength: 80 }), (specs) => {
        const events = specs.map(
          (spec, index): VigilEvent => ({
            ...base,
            id: `e${index}`,
            subject: { name: spec.subject },
            title: `EVT${index}# ${spec.title}`,
            outcome: spec.outcome,
            ...(spec.url === undefined ? {} : { url: spec.url }),
          }),
        );
        const messages = digestMessages(events);
        for (const message of messages) {
          if (cliqViolations(message).length > 0) return false;
          if (JSON.stringify(fitMessage(message)) !== JSON.stringify(message)) return false;
        }
        const all = JSON.stringify(messages);
        return events.every((_, index) => all.split(`EVT${index}#`).length - 1 === 1);
      }),
      { numRuns: 200 },
    );
  });

  it('summarizes failures and groups by subject', () => {
    const events = [
      { ...base, id: '1', title: 'one', outcome: 'failure' as const },
      { ...base, id: '2', title: 'two', subject: { name: 'acme/web' } },
    ];
    const [message] = digestMessages(events);
    expect(message?.text).toBe('📋 Digest: 2 events, 1 failed in 2 places');
    expect(message?.slides?.map((slide) => slide.title)).toEqual(['Codertocat/Hello-World', 'acme/web']);
  });

  it('splits a long digest into numbered parts', () => {
    const events = Array.from({ length: 40 }, (_, i) => ({ ...base, id: `${i}`, title: `event ${i}` }));
    const messages = digestMessages(events);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages[0]?.text).toMatch(/\(part 1 of \d+\)$/);
  });
});
