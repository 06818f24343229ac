import { Type } from 'typebox';
import { MAX_EVENT_TYPES, MAX_URL_LENGTH } from './webhooks.validation.ts';

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const AppIdField = Type.Optional(
  Type.String({
    format: 'uuid',
    description: 'The app whose webhooks to use. Required for operator tokens; apps may omit it.',
  }),
);

const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: MAX_EVENT_TYPES,
  description: 'Event types to receive, like `user.created`; `*` for every type.',
});
const Url = Type.String({ minLength: 1, maxLength: MAX_URL_LENGTH, description: 'An http or https URL.' });
const Description = Type.String({ maxLength: 500 });

export const EndpointIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const DeliveryParams = Type.Object({ id: Uuid, delivery_id: Uuid }, { additionalProperties: false });
export const AppQuery = Type.Object({ app_id: AppIdField }, { additionalProperties: false });

export const CreateEndpointBody = Type.Object(
  { app_id: AppIdField, url: Url, event_types: EventTypes, description: Type.Optional(Description) },
  { additionalProperties: false },
);

export const UpdateEndpointBody = Type.Object(
  {
    app_id: AppIdField,
    url: Type.Optional(Url),
    event_types: Type.Optional(EventTypes),
    description: Type.Optional(Description),
    enabled: Type.Optional(
      Type.Boolean({ description: 'false disables; true re-enables and resets failures.' }),
    ),
  },
  { additionalProperties: false },
);

const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (1–100).' });
const Cursor = Type.Optional(
  Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' }),
);
const DeliveryStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);

export const EndpointListQuery = Type.Object(
  { app_id: AppIdField, limit: Limit, cursor: Cursor },
  { additionalProperties: false },
);

export const DeliveryListQuery = Type.Object(
  { app_id: AppIdField, limit: Limit, cursor: Cursor, status: Type.Optional(DeliveryStatus) },
  { additionalProperties: false },
);

export const Endpoint = Type.Object({
  id: Uuid,
  app_id: Uuid,
  url: Type.String(),
  description: Type.String(),
  event_types: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabled_reason: Nullable(Type.String()),
  disabled_at: Nullable(Timestamp),
  failing_since: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const EndpointWithSecret = Type.Object({
  ...Endpoint.properties,
  secret: Type.String({ description: 'The signing secret (`whsec_...`). Shown only now; store it.' }),
});

export const EndpointList = Type.Object({ data: Type.Array(Endpoint), next_cursor: Nullable(Type.String()) });

export const Attempt = Type.Object({
  chain: Type.Integer({ description: '1 for the original delivery, +1 for each redelivery.' }),
  attempt: Type.Integer({ description: 'Attempt number within the chain, from 1.' }),
  attempted_at: Timestamp,
  succeeded: Type.Boolean(),
  status_code: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  duration_ms: Type.Integer(),
  response_excerpt: Nullable(Type.String()),
});

export const Delivery = Type.Object({
  id: Type.String({ description: 'Also the `webhook-id` header of every attempt.' }),
  endpoint_id: Uuid,
  app_id: Uuid,
  event_id: Uuid,
  event_type: Type.String(),
  status: DeliveryStatus,
  chain: Type.Integer(),
  attempts_in_chain: Type.Integer(),
  next_attempt_at: Nullable(Timestamp),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const DeliveryWithAttempts = Type.Object({
  ...Delivery.properties,
  payload: Type.String({ description: 'The exact JSON body sent.' }),
  attempts: Type.Array(Attempt),
});

export const DeliveryList = Type.Object({ data: Type.Array(Delivery), next_cursor: Nullable(Type.String()) });
