import { envelopeSchema } from './webhooks.envelope.ts';
import { publishedWebhookEvents } from './webhooks.events.ts';

const header = (name: string, description: string) => ({
  name,
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description,
});

const HEADERS = [
  header('webhook-id', 'The delivery id: the same on every retry and redelivery; ignore duplicates by it.'),
  header('webhook-timestamp', "The attempt's time, in Unix seconds."),
  header(
    'webhook-signature',
    '`v1,` + base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")), the key being the ' +
      "base64-decoded part of the endpoint's `whsec_` secret (Standard Webhooks).",
  ),
];

/**
 * OpenAPI 3.1's top-level `webhooks` object: one entry per type an app can receive, with the signed
 * headers and the versioned body. Built from the same schemas the fan-out checks bodies against.
 */
export function webhooksOpenApi(): Record<string, unknown> {
  const webhooks: Record<string, unknown> = {};
  for (const spec of publishedWebhookEvents()) {
    webhooks[spec.type] = {
      post: {
        operationId: `webhook_${spec.type.replaceAll('.', '_')}`,
        summary: spec.summary,
        description: `Payload version ${spec.version}. Verify the signature over the raw body before parsing it (docs/webhooks.md).`,
        tags: ['webhooks'],
        parameters: HEADERS,
        requestBody: { required: true, content: { 'application/json': { schema: envelopeSchema(spec) } } },
        responses: {
          '2XX': {
            description:
              'Received. Anything else (another status, a redirect, no answer within 10 s) is a failed attempt, retried.',
          },
        },
      },
    };
  }
  return webhooks;
}
