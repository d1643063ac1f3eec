import { postToCliq } from '../../lib/cliq/deliver';
import type { CliqMessage } from '../../lib/cliq/message';
import { threadsForbidden, threadTarget } from '../../lib/cliq/thread';
import { ChaosCliq } from '../../tools/harness/chaos-cliq';
import { CliqStandIn } from '../../tools/harness/cliq-stand-in';

// The stand-in's rules follow specs/zoho-cliq.md, "Threads" (and "Responses" for sync_message): the tests
// of conversations trust them, so they are pinned here.
describe('the Cliq stand-in, threads', () => {
  let cliq: CliqStandIn;
  beforeEach(async () => {
    cliq = await new CliqStandIn().start();
  });
  afterEach(() => cliq.stop());

  const send = (channel: string, message: CliqMessage, parent?: string, postInParent = false) => {
    const placed = threadTarget(cliq.channelUrl(channel, 'T'), parent, { postInParent });
    if (!placed.ok) throw new Error(placed.error);
    return postToCliq(fetch, placed.value.url, { ...message, ...placed.value.fields }, 2000);
  };
  const post = (channel: string, message: CliqMessage) =>
    postToCliq(fetch, cliq.channelUrl(channel, 'T'), message, 2000);
  const thread = (channel: string, message: Record<string, unknown>) =>
    postToCliq(
      fetch,
      `${cliq.url}/api/v3/channelsbyname/${channel}/messages?zapikey=T`,
      message as never,
      2000,
    );

  it('answers a sync_message post with 200 and a message id in Cliq shape, and a plain post with 204', async () => {
    const synced = await post('ops', { text: 'first', sync_message: true });
    expect(synced).toMatchObject({ ok: true, status: 200, messageId: expect.stringMatching(/^\d{13}_\d+$/) });
    expect(await post('ops', { text: 'second' })).toEqual({ ok: true, status: 204 });
    expect(cliq.posts('ops').map((p) => [p.idAnswered, p.parentId])).toEqual([
      [true, undefined],
      [false, undefined],
    ]);
    expect(synced.ok && cliq.posts('ops')[0]?.messageId === synced.messageId).toBe(true);
  });

  it('records thread replies with their parent and post_in_parent, and shows the channel what Cliq would', async () => {
    const parent = await send('ops', { text: 'PR opened' });
    if (!parent.ok || parent.messageId === undefined) throw new Error('no parent id');
    const reviewed = await send('ops', { text: 'reviewed' }, parent.messageId);
    const merged = await send('ops', { text: 'merged' }, parent.messageId, true);
    expect(reviewed).toMatchObject({ ok: true, status: 200, messageId: expect.any(String) });
    expect(merged.ok).toBe(true);
    expect(
      cliq.replies('ops', parent.messageId).map((p) => [(p.body as CliqMessage).text, p.postInParent]),
    ).toEqual([
      ['reviewed', false],
      ['merged', true],
    ]);
    expect(cliq.channelView('ops').map((p) => (p.body as CliqMessage).text)).toEqual(['PR opened', 'merged']);
    expect(cliq.messages('ops')).toHaveLength(3);
    expect(cliq.attempts.map((a) => a.call)).toEqual(['channel', 'thread', 'thread']);
  });

  it('answers a thread reply without sync_message with 204', async () => {
    const parent = await send('ops', { text: 'p' });
    if (!parent.ok || parent.messageId === undefined) throw new Error('no parent id');
    expect(await thread('ops', { text: 'r', thread_message_id: parent.messageId })).toEqual({
      ok: true,
      status: 204,
    });
  });

  it('rejects a thread_message_id that is not a message of that channel', async () => {
    const elsewhere = await send('dev', { text: 'in dev' });
    const parent = await send('ops', { text: 'in ops' });
    if (!elsewhere.ok || !parent.ok || parent.messageId === undefined) throw new Error('no ids');
    const reply = await send('ops', { text: 'r' }, parent.messageId);
    if (!reply.ok || reply.messageId === undefined) throw new Error('no reply id');

    for (const wrong of ['1599044334698_117280617320', elsewhere.messageId ?? '', reply.messageId]) {
      expect(await send('ops', { text: 'lost?' }, wrong)).toMatchObject({
        ok: false,
        transient: false,
        status: 400,
        code: 'message_not_found',
      });
    }
    expect(cliq.posts('ops')).toHaveLength(2);
  });

  it.each([
    [{ text: 'no parent' }, /thread_message_id is required/],
    [{ thread_message_id: 'x' }, /text is required/],
    [{ text: 'r', thread_message_id: 'x', post_in_parent: 'yes' }, /post_in_parent must be a boolean/],
  ])('refuses a thread call %j as input_invalid', async (body, reason) => {
    const result = await thread('ops', body);
    expect(result).toMatchObject({ ok: false, status: 400, code: 'input_invalid' });
    expect(!result.ok && result.message).toMatch(reason);
  });

  it('refuses thread fields on a channel post, where they would lose the thread', async () => {
    expect(await post('ops', { text: 'x', thread_message_id: '1_2' })).toMatchObject({
      ok: false,
      status: 400,
      code: 'input_invalid',
    });
  });

  it('answers the thread call of a channel that forbids threads with a 4xx that is not throttling', async () => {
    cliq.configure('ops', { forbidThreads: true });
    const parent = await send('ops', { text: 'p' });
    if (!parent.ok || parent.messageId === undefined) throw new Error('no parent id');
    const reply = await send('ops', { text: 'r' }, parent.messageId);
    expect(reply).toMatchObject({ ok: false, status: 400, code: 'operation_not_allowed', throttled: false });
    expect(threadsForbidden(reply)).toBe(true);
    expect(cliq.posts('ops')).toHaveLength(1);
  });

  it('can keep message ids to itself: 204 even to sync_message', async () => {
    cliq.configure('ops', { omitMessageIds: true });
    expect(await send('ops', { text: 'p' })).toEqual({ ok: true, status: 204 });
    expect(cliq.posts('ops')[0]?.idAnswered).toBe(false);
  });

  it('scripts failures of the thread call alone', async () => {
    cliq.scriptThread('ops', { status: 503, body: { code: 'internal_error', message: 'later' } });
    const parent = await send('ops', { text: 'p' });
    if (!parent.ok || parent.messageId === undefined) throw new Error('no parent id');
    expect(await send('ops', { text: 'r' }, parent.messageId)).toMatchObject({ ok: false, transient: true });
    expect(await send('ops', { text: 'r' }, parent.messageId)).toMatchObject({ ok: true });
  });
});

describe('the chaos Cliq, threads', () => {
  const calm = {
    seed: 1,
    windowMs: 60_000,
    lockMs: 60_000,
    p503: 0,
    pTimeout: 0,
    pReset: 0,
    p429: 0,
    hangMs: 0,
  };
  let cliq: ChaosCliq | undefined;
  afterEach(() => cliq?.stop());

  const send = (channel: string, parent?: string) => {
    const placed = threadTarget((cliq as ChaosCliq).channelUrl(channel, 'T'), parent);
    if (!placed.ok) throw new Error(placed.error);
    return postToCliq(fetch, placed.value.url, { text: 'x', ...placed.value.fields }, 2000);
  };

  it('takes thread replies to its own channel messages and refuses and counts any other parent', async () => {
    cliq = await new ChaosCliq({ ...calm, limit: 10 }).start();
    const parent = await send('ops');
    if (!parent.ok || parent.messageId === undefined) throw new Error('no parent id');
    expect(await send('ops', parent.messageId)).toMatchObject({ ok: true, status: 200 });
    expect(await send('dev', parent.messageId)).toMatchObject({ ok: false, code: 'message_not_found' });
    expect(cliq.deliveries.map((d) => d.parentId)).toEqual([undefined, parent.messageId]);
    expect(cliq.unknownParents).toEqual([{ channel: 'dev', parentId: parent.messageId }]);
  });

  it('counts thread calls against the same rate budget as channel posts', async () => {
    cliq = await new ChaosCliq({ ...calm, limit: 2 }).start();
    const parent = await send('ops');
    if (!parent.ok || parent.messageId === undefined) throw new Error('no parent id');
    expect((await send('ops', parent.messageId)).ok).toBe(true);
    expect(await send('ops', parent.messageId)).toMatchObject({ ok: false, code: 'request_limit_exceeded' });
    expect(cliq.lockTrips).toHaveLength(1);
  });
});
