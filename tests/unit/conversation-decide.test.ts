import { type CiMode, type Decision, decide, ordinal, type Sent } from '../../lib/conversation/decide';
import { conversationMessage } from '../../lib/conversation/message';
import { Conversation, MAX_RESOLUTIONS, type Run, readAs } from '../../lib/conversation/state';
import { subjectOf } from '../../lib/conversation/subject';
import type { VigilEvent } from '../../lib/event/model';
import {
  alertGroup,
  alertNotice,
  pullRequest,
  runPart,
  sentryIssue,
  workflowRun,
} from '../helpers/conversation-events';

/** Runs events of one subject through the decisions, keeping state as the sender would, with ids m1, m2… */
const converse = (
  events: readonly VigilEvent[],
  options: { threads?: boolean; ci?: CiMode; noIds?: boolean } = {},
) => {
  let conversation: Conversation | undefined;
  let run: Run | undefined;
  const runs = new Map<string, Run>();
  const decisions: Decision['delivery'][] = [];
  let ids = 0;
  for (const event of events) {
    const subject = subjectOf(event);
    if (subject === undefined) throw new Error('no subject');
    const runKey = subject.runKeys?.[0];
    run = runKey === undefined ? undefined : runs.get(runKey);
    const decision = decide({
      event,
      subject,
      conversation,
      run,
      threads: options.threads ?? true,
      ci: options.ci ?? 'changes',
    });
    decisions.push(decision.delivery);
    const sent: Sent =
      decision.delivery.kind === 'unchanged'
        ? { how: 'digest' }
        : decision.delivery.kind === 'reply'
          ? { how: 'reply' }
          : { how: 'post', ...(options.noIds ? {} : { messageId: `m${++ids}` }) };
    const next =
      decision.delivery.kind === 'unchanged' ? decision.next({ how: 'digest' }) : decision.next(sent);
    if (next.conversation !== undefined && subject.family !== 'ci-part') conversation = next.conversation;
    if (next.run !== undefined && runKey !== undefined) runs.set(runKey, next.run);
  }
  return decisions;
};

describe('conversation decisions', () => {
  it('posts a pull request once, then replies in its thread; merged also shows in the channel', () => {
    const [opened, reviewed, merged] = converse([
      pullRequest('1', 7, 'opened'),
      pullRequest('2', 7, 'reviewed'),
      pullRequest('3', 7, 'merged'),
    ]);
    expect(opened).toEqual({ kind: 'post' });
    expect(reviewed).toMatchObject({ kind: 'reply', parent: 'm1', inChannel: false });
    expect(merged).toMatchObject({ kind: 'reply', parent: 'm1', inChannel: true });
  });

  it('CI: newly failing posts, failing again replies quietly with the count, fixed replies in the channel, green after green is unchanged', () => {
    const decisions = converse([
      workflowRun('1', 'failure', { runId: 1 }),
      workflowRun('2', 'failure', { runId: 2 }),
      workflowRun('3', 'failure', { runId: 3 }),
      workflowRun('4', 'success', { runId: 4 }),
      workflowRun('5', 'success', { runId: 5 }),
      workflowRun('6', 'failure', { runId: 6 }),
    ]);
    expect(decisions[0]).toEqual({ kind: 'post' });
    expect(decisions[1]).toMatchObject({
      kind: 'reply',
      parent: 'm1',
      inChannel: false,
      note: 'Still failing (2nd run in a row)',
    });
    expect(decisions[2]).toMatchObject({
      kind: 'reply',
      parent: 'm1',
      note: 'Still failing (3rd run in a row)',
    });
    expect(decisions[3]).toMatchObject({
      kind: 'reply',
      parent: 'm1',
      inChannel: true,
      note: 'Fixed after 3 failed runs',
    });
    expect(decisions[4]).toEqual({
      kind: 'unchanged',
      reason: 'success after success: workflow CI on main was already passing',
    });
    // failing again after the fix is news: a new parent
    expect(decisions[5]).toEqual({ kind: 'post' });
  });

  it('CI: a first success with no history posts as before', () => {
    expect(converse([workflowRun('1', 'success', { runId: 1 })])).toEqual([{ kind: 'post' }]);
  });

  it('CI: `every` posts each run in the channel, still counting the failures', () => {
    const decisions = converse(
      [
        workflowRun('1', 'failure', { runId: 1 }),
        workflowRun('2', 'failure', { runId: 2 }),
        workflowRun('3', 'success', { runId: 3 }),
        workflowRun('4', 'success', { runId: 4 }),
      ],
      { ci: 'every' },
    );
    expect(decisions[0]).toEqual({ kind: 'post' });
    expect(decisions[1]).toEqual({ kind: 'post', note: 'Still failing (2nd run in a row)' });
    expect(decisions[2]).toMatchObject({ kind: 'reply', inChannel: true, note: 'Fixed after 2 failed runs' });
    expect(decisions[3]).toEqual({ kind: 'post' });
  });

  it('one run, one conversation: a failing job posts the run card, the run result and later jobs reply in its thread', () => {
    const decisions = converse([
      runPart('j1', 'workflow_job', 'failure', { runId: 9, workflow: 'CI' }),
      runPart('j2', 'workflow_job', 'success', { runId: 9, workflow: 'CI', name: 'lint' }),
      runPart('j3', 'workflow_job', 'failure', { runId: 9, workflow: 'CI', name: 'test' }),
      workflowRun('r', 'failure', { runId: 9 }),
    ]);
    expect(decisions.map((d) => d.kind)).toEqual(['post', 'unchanged', 'reply', 'reply']);
    expect(decisions.filter((d) => d.kind === 'post')).toHaveLength(1);
    expect(decisions[3]).toMatchObject({ parent: 'm1', inChannel: false });
  });

  it('a failing job of a workflow that was already failing replies in that thread, not the channel', () => {
    const decisions = converse([
      workflowRun('r1', 'failure', { runId: 1 }),
      runPart('j2', 'workflow_job', 'failure', { runId: 2, workflow: 'CI' }),
      workflowRun('r2', 'failure', { runId: 2 }),
    ]);
    expect(decisions[1]).toMatchObject({ kind: 'reply', parent: 'm1' });
    expect(decisions[2]).toMatchObject({
      kind: 'reply',
      parent: 'm1',
      note: 'Still failing (2nd run in a row)',
    });
  });

  it('an alert group: firing posts, partly resolved replies quietly, resolved replies in the channel and ends it', () => {
    const decisions = converse([
      alertGroup('1', 'firing', 2, 0),
      alertGroup('2', 'firing', 1, 1),
      alertGroup('3', 'resolved', 0, 2),
      alertGroup('4', 'firing', 1, 0),
    ]);
    expect(decisions[0]).toEqual({ kind: 'post' });
    // a firing group is critical here, so its updates show in the channel too
    expect(decisions[1]).toMatchObject({ kind: 'reply', parent: 'm1' });
    expect(decisions[2]).toMatchObject({ kind: 'reply', parent: 'm1', inChannel: true });
    expect(decisions[3]).toEqual({ kind: 'post' });
  });

  describe('an alert group in time order (Alertmanager HA replicas, slow retries)', () => {
    const a = { fingerprint: 'a1', startsAt: '2026-11-23T12:00:00.000Z' };
    const b = { fingerprint: 'b2', startsAt: '2026-11-23T12:05:00.000Z' };
    const resolvedAt = '2026-11-23T12:10:00.000Z';

    it('a firing from before the resolution recorded for its alerts does not reopen the group: unchanged, stale', () => {
      const decisions = converse([
        alertNotice('1', 'firing', [a]),
        alertNotice('2', 'resolved', [{ ...a, endsAt: resolvedAt }]),
        alertNotice('3', 'firing', [a]),
      ]);
      expect(decisions[2]).toEqual({ kind: 'unchanged', reason: expect.stringMatching(/^stale: /) });
    });

    it('a new episode of the same alert (started after its resolution) reopens the group', () => {
      const decisions = converse([
        alertNotice('1', 'firing', [a]),
        alertNotice('2', 'resolved', [{ ...a, endsAt: resolvedAt }]),
        alertNotice('3', 'firing', [a]),
        alertNotice('4', 'firing', [{ ...a, startsAt: '2026-11-23T12:20:00.000Z' }]),
      ]);
      expect(decisions[2]?.kind).toBe('unchanged');
      expect(decisions[3]).toEqual({ kind: 'post' });
    });

    it('a late firing that also names an alert the resolution did not (a new fingerprint) reopens the group', () => {
      const decisions = converse([
        alertNotice('1', 'firing', [a]),
        alertNotice('2', 'resolved', [{ ...a, endsAt: resolvedAt }]),
        alertNotice('3', 'firing', [a, b]),
      ]);
      expect(decisions[2]).toEqual({ kind: 'post' });
    });

    it('remembers each alert of a group resolved in several notifications', () => {
      const decisions = converse([
        alertNotice('1', 'firing', [a, b]),
        alertNotice('2', 'firing', [{ ...a, endsAt: '2026-11-23T12:08:00.000Z' }, b]),
        alertNotice('3', 'resolved', [
          { ...a, endsAt: '2026-11-23T12:08:00.000Z' },
          { ...b, endsAt: resolvedAt },
        ]),
        alertNotice('4', 'firing', [a, b]),
      ]);
      expect(decisions.map((decision) => decision.kind)).toEqual(['post', 'reply', 'reply', 'unchanged']);
    });

    it('a firing whose alerts carry no start or no fingerprint record is news, as before', () => {
      const decisions = converse([
        alertGroup('1', 'firing', 1, 0),
        alertGroup('2', 'resolved', 0, 1),
        alertGroup('3', 'firing', 1, 0),
      ]);
      expect(decisions[2]).toEqual({ kind: 'post' });
    });

    it('keeps at most MAX_RESOLUTIONS resolutions, the latest', () => {
      const many = Array.from({ length: 3 }, (_, round) =>
        Array.from({ length: 20 }, (_, i) => ({
          fingerprint: `f${round}-${i}`,
          startsAt: a.startsAt,
          endsAt: new Date(Date.parse(resolvedAt) + round * 60_000).toISOString(),
        })),
      );
      let state: Conversation | undefined;
      for (const [round, alerts] of many.entries()) {
        const event = alertNotice(`r${round}`, 'resolved', alerts);
        const subject = subjectOf(event);
        if (subject === undefined) throw new Error('no subject');
        const decision = decide({
          event,
          subject,
          conversation: state,
          run: undefined,
          threads: true,
          ci: 'changes',
        });
        state = decision.next({ how: 'post', messageId: `m${round}` }).conversation;
      }
      expect(state?.resolved).toHaveLength(MAX_RESOLUTIONS);
      expect(state?.resolved?.at(-1)?.alert).toBe('f2-19');
      expect(readAs(Conversation, state)).toEqual(state);
    });
  });

  it('a Sentry issue: created posts, resolved replies and shows in the channel', () => {
    const decisions = converse([sentryIssue('1', 'created'), sentryIssue('2', 'resolved')]);
    expect(decisions[1]).toMatchObject({ kind: 'reply', parent: 'm1', inChannel: true });
  });

  it('threads off for the channel: later events post in the channel naming what they follow up', () => {
    const decisions = converse([pullRequest('1', 7, 'opened'), pullRequest('2', 7, 'merged')], {
      threads: false,
    });
    expect(decisions[1]).toEqual({
      kind: 'post',
      followUp: { title: 'alice opened #7: Faster builds', url: 'https://github.com/acme/app/pull/7' },
    });
  });

  it('no message id from Cliq (204): the subject has no thread, its later events post with the follow-up line', () => {
    const decisions = converse([pullRequest('1', 7, 'opened'), pullRequest('2', 7, 'closed')], {
      noIds: true,
    });
    expect(decisions[1]).toMatchObject({
      kind: 'post',
      followUp: { title: 'alice opened #7: Faster builds' },
    });
  });

  it('a refused thread call moves the thread to the post that replaced it', () => {
    const subject = subjectOf(pullRequest('2', 7, 'closed'));
    if (subject === undefined) throw new Error('no subject');
    const conversation: Conversation = { v: 1, type: 'conversation', title: 't', parent: 'old' };
    const decision = decide({
      event: pullRequest('2', 7, 'closed'),
      subject,
      conversation,
      run: undefined,
      threads: true,
      ci: 'changes',
    });
    expect(decision.next({ how: 'fallback', messageId: 'new' }).conversation?.parent).toBe('new');
    expect(decision.next({ how: 'reply' }).conversation?.parent).toBe('old');
  });

  it('reads an invalid or older stored shape as absent', () => {
    expect(readAs(Conversation, { v: 0, parent: 'x' })).toBeUndefined();
    expect(readAs(Conversation, { v: 1, type: 'conversation', title: 't', parent: 'm' })).toMatchObject({
      parent: 'm',
    });
  });

  it('counts in English', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });
});

describe('conversation messages', () => {
  const card = { text: 'Workflow CI failed on main', card: { title: 'CI' } };

  it('asks Cliq for the id of a new parent', () => {
    expect(conversationMessage(card, { kind: 'post' })).toEqual({ ...card, sync_message: true });
  });

  it('replies name their parent, lead with the note, and show in the channel only when asked', () => {
    const quiet = conversationMessage(card, {
      kind: 'reply',
      parent: 'p1',
      inChannel: false,
      note: 'Still failing (2nd run in a row)',
      followUp: { title: 't' },
    });
    expect(quiet).toEqual({
      ...card,
      text: '*Still failing (2nd run in a row)*\nWorkflow CI failed on main',
      thread_message_id: 'p1',
    });
    const loud = conversationMessage(card, {
      kind: 'reply',
      parent: 'p1',
      inChannel: true,
      followUp: { title: 't' },
    });
    expect(loud.post_in_parent).toBe(true);
  });

  it('a channel post in place of a reply has no thread fields and names what it follows up, with escaped title and link', () => {
    const fallback = conversationMessage(card, {
      kind: 'post',
      followUp: { title: 'opened #7: *bold* {@all}', url: 'https://github.com/acme/app/pull/7' },
    });
    expect(fallback.thread_message_id).toBeUndefined();
    expect(fallback.post_in_parent).toBeUndefined();
    expect(fallback.text.split('\n')[0]).toMatch(
      /^↪ Follows up: \[opened #\u200B7: \*\u200Bbold\*\u200B \{\u200B@all\}\u200B\]\(https:\/\/github.com\/acme\/app\/pull\/7\)$/,
    );
  });
});
