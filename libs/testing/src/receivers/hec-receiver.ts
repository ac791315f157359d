import { RecordingReceiver, type ReceivedRecord } from './recording-receiver';

/** Splunk's answers, as "HTTP Event Collector REST API" and its status codes table document them. */
const HEC = {
  tokenRequired: { refuse: 401, body: '{"text":"Token is required","code":2}' },
  invalidAuthorization: { refuse: 401, body: '{"text":"Invalid authorization","code":3}' },
  invalidToken: { refuse: 403, body: '{"text":"Invalid token","code":4}' },
  noData: { refuse: 400, body: '{"text":"No data","code":5}' },
  invalidFormat: (n: number) => ({ refuse: 400, body: `{"text":"Invalid data format","code":6,"invalid-event-number":${n}}` }),
  eventRequired: (n: number) => ({ refuse: 400, body: `{"text":"Event field is required","code":12,"invalid-event-number":${n}}` }),
  blankEvent: (n: number) => ({ refuse: 400, body: `{"text":"Event field cannot be blank","code":13,"invalid-event-number":${n}}` }),
};

/**
 * The events of a HEC request body: JSON objects one after another, separated by nothing or
 * by whitespace, as Splunk's batching takes them. Undefined when the text is not that.
 */
export function splitHecBody(body: string): unknown[] | undefined {
  const events: unknown[] = [];
  let rest = body.trim();
  while (rest.length) {
    if (rest[0] !== '{') return undefined;
    let depth = 0;
    let inString = false;
    let end = -1;
    for (let i = 0; i < rest.length && end < 0; i++) {
      const c = rest[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) end = i;
    }
    if (end < 0) return undefined;
    try {
      events.push(JSON.parse(rest.slice(0, end + 1)));
    } catch {
      return undefined;
    }
    rest = rest.slice(end + 1).trim();
  }
  return events;
}

/**
 * A receiver that speaks HEC as Splunk documents it: `POST /services/collector/event` with
 * `Authorization: Splunk <token>`, a body of event objects each with an `event` field (and
 * `time` in epoch seconds when given), answered `{"text":"Success","code":0}` or Splunk's error
 * answers. It records each event's `event`, the Runtrail record.
 */
export function startHecReceiver(token: string): Promise<RecordingReceiver> {
  return RecordingReceiver.start((req, body) => {
    if (req.url !== '/services/collector/event') return { refuse: 404, body: '{"text":"The requested URL was not found on this server.","code":404}' };
    const auth = req.headers.authorization;
    if (!auth) return HEC.tokenRequired;
    const match = /^Splunk (\S+)$/.exec(auth);
    if (!match) return HEC.invalidAuthorization;
    if (match[1] !== token) return HEC.invalidToken;
    const events = splitHecBody(body);
    if (!events) return HEC.invalidFormat(0);
    if (events.length === 0) return HEC.noData;
    const records: ReceivedRecord[] = [];
    for (const [n, e] of events.entries()) {
      const event = (e as { event?: unknown; time?: unknown }).event;
      const time = (e as { time?: unknown }).time;
      if (event === undefined) return HEC.eventRequired(n);
      if (event === null || event === '') return HEC.blankEvent(n);
      if (time !== undefined && typeof time !== 'number') return HEC.invalidFormat(n);
      records.push(event as ReceivedRecord);
    }
    return { records };
  }, '/', '{"text":"Success","code":0}');
}
