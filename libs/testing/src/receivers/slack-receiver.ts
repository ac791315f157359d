import { RecordingReceiver } from './recording-receiver';

/**
 * A Slack-compatible incoming webhook: a JSON object with a non-empty `text`, answered `ok`
 * as Slack answers; it keeps each line of the text.
 */
export function startSlackReceiver(): Promise<RecordingReceiver> {
  return RecordingReceiver.start(
    (req, body) => {
      if (!String(req.headers['content-type']).startsWith('application/json')) return { refuse: 400, body: 'invalid_payload' };
      let message: { text?: unknown };
      try {
        message = JSON.parse(body) as { text?: unknown };
      } catch {
        return { refuse: 400, body: 'invalid_payload' };
      }
      if (typeof message.text !== 'string' || message.text === '') return { refuse: 400, body: 'no_text' };
      return { records: [], texts: message.text.split('\n') };
    },
    '/services/T000/B000/XXXX',
    'ok',
  );
}
