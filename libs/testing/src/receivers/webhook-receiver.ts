import { verifyWebhookSignature } from '@runtrail/contracts';
import { RecordingReceiver, type ReceivedRecord } from './recording-receiver';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A webhook receiver as a careful customer writes one (CONTRACT §8): it checks every
 * request's `Runtrail-Signature` against the shared secret and its `Runtrail-Delivery` id, and
 * refuses with 401 what does not verify.
 */
export function startWebhookReceiver(secret: string): Promise<RecordingReceiver> {
  return RecordingReceiver.start((req, body) => {
    const signature = req.headers['runtrail-signature'];
    if (typeof signature !== 'string' || !verifyWebhookSignature(secret, signature, body)) return { refuse: 401, body: 'bad signature' };
    const delivery = req.headers['runtrail-delivery'];
    if (typeof delivery !== 'string' || !UUID.test(delivery)) return { refuse: 400, body: 'no delivery id' };
    const records = JSON.parse(body) as ReceivedRecord[];
    if (!Array.isArray(records) || records.length === 0) return { refuse: 400, body: 'not a JSON array of records' };
    return { records };
  });
}
