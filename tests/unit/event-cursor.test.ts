import { EventCursor, eventTimeNano, formatSince } from '../../tools/forwarder/event-cursor';

// Docker's events JSON (`docker events --format '{{json .}}'`) carries `time` (seconds) and `timeNano`;
// `--since` takes a Unix time as seconds[.nanoseconds] (docker-events(1), "--since and --until").
const event = (action: string, timeNano: string, id = 'c1') =>
  `{"status":"${action}","id":"${id}","Type":"container","Action":"${action}","Actor":{"ID":"${id}","Attributes":{"name":"web"}},"scope":"local","time":${timeNano.slice(0, 10)},"timeNano":${timeNano}}`;

describe('eventTimeNano', () => {
  it('reads timeNano to the nanosecond, beyond what a JSON number parsed to a double keeps', () => {
    expect(eventTimeNano(event('die', '1795435200123456789'))).toBe(1795435200123456789n);
  });

  it('falls back to time in seconds', () => {
    expect(eventTimeNano('{"Type":"container","Action":"oom","time":1795435200}')).toBe(1795435200000000000n);
  });

  it('ignores a label named timeNano and lines that are not events', () => {
    const labelled = event('die', '1795435200000000001').replace(
      '"Attributes":{',
      '"Attributes":{"timeNano":"5",',
    );
    expect(eventTimeNano(labelled)).toBe(1795435200000000001n);
    expect(eventTimeNano('not json')).toBeUndefined();
    expect(eventTimeNano('{"Action":"oom"}')).toBeUndefined();
  });
});

describe('formatSince', () => {
  it('writes seconds and nine digits of nanoseconds', () => {
    expect(formatSince(1795435200000000042n)).toBe('1795435200.000000042');
    expect(formatSince(1795435200123456789n)).toBe('1795435200.123456789');
  });
});

describe('EventCursor', () => {
  it('resumes from when reading began until an event is seen, then from the latest event', () => {
    const cursor = new EventCursor(1795435100500000000n);
    expect(cursor.since()).toBe('1795435100.500000000');
    cursor.observe(event('die', '1795435200123456789'));
    cursor.observe(event('oom', '1795435199000000000'));
    expect(cursor.since()).toBe('1795435200.123456789');
  });

  it('calls the replay of the last event a duplicate, but not another event at the same nanosecond', () => {
    const cursor = new EventCursor(0n);
    const last = event('die', '1795435200123456789', 'a');
    expect(cursor.observe(last)).toBe(true);
    expect(cursor.observe(last)).toBe(false);
    expect(cursor.observe(event('die', '1795435200123456789', 'b'))).toBe(true);
    expect(cursor.observe(event('oom', '1795435200123456790', 'a'))).toBe(true);
  });

  it('passes on lines that carry no time', () => {
    const cursor = new EventCursor(0n);
    expect(cursor.observe('not json')).toBe(true);
    expect(cursor.observe('not json')).toBe(true);
  });
});
