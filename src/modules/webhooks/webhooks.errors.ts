import { errors } from '../../errors/index.ts';

export const webhookErrors = {
  endpointNotFound: () => errors.notFound('webhooks.endpoint_not_found', 'No such webhook endpoint.'),
  appNotFound: () => errors.notFound('webhooks.app_not_found', 'No such app among yours.'),
  deliveryNotFound: () => errors.notFound('webhooks.delivery_not_found', 'No such webhook delivery.'),
  invalidUrl: (reason: string) => errors.badRequest('webhooks.invalid_url', `url: ${reason}`),
  invalidEventType: (value: string) =>
    errors.badRequest(
      'webhooks.invalid_event_type',
      `event_types: "${value}" is not an event type (like "user.created") or "*"`,
    ),
  appIdRequired: () =>
    errors.badRequest(
      'webhooks.app_id_required',
      'app_id: operators must name the app whose webhooks to use',
    ),
  wrongApp: () => errors.forbidden('webhooks.wrong_app', 'app_id: an app may only manage its own webhooks'),
  notAllowed: () =>
    errors.forbidden(
      'webhooks.not_allowed',
      'Only the app itself or a hub administrator may manage webhooks.',
    ),
  tooManyEndpoints: (max: number) =>
    errors.conflict(
      'webhooks.too_many_endpoints',
      `An app may have at most ${max} endpoints; delete one first.`,
    ),
  endpointDisabled: () =>
    errors.conflict(
      'webhooks.endpoint_disabled',
      'The endpoint is disabled; enable it (PATCH enabled=true) before redelivering or testing.',
    ),
  invalidCursor: () =>
    errors.badRequest('request.invalid_cursor', 'cursor: is not a cursor this endpoint issued'),
};
