import { Type } from 'typebox';

const field = (max: number, description: string) =>
  Type.Optional(Type.String({ maxLength: max, description }));

export const WildcardParams = Type.Object({ '*': Type.String({ maxLength: 300 }) });

/** The seed's parameters; they arrive as form fields (POST) or query parameters (GET). */
export const CourseFields = Type.Object(
  {
    title: field(300, 'The course title (e.g. "How to Draw Horses")'),
    category: field(100, 'A category (e.g. "Art")'),
    status: field(20, 'online | offline'),
    email_address: field(254, 'A hub account that becomes a course admin'),
  },
  { additionalProperties: false },
);

export const ClassFields = Type.Object(
  {
    title: field(300, 'The class title (e.g. "First Semester")'),
    type: field(40, 'open | requires-activation-code | invite-only | closed'),
    isBilled: field(5, '"true" or "false"'),
    studentPrice: field(20, 'e.g. "12.00"'),
    currency: field(3, 'e.g. "USD"'),
    activationCode: field(200, 'Code needed to join (stored hashed)'),
    startDate: field(40, 'ISO 8601 date/time'),
  },
  { additionalProperties: false },
);

export const EnrolmentsQuery = Type.Object(
  {
    institution: Type.String({ maxLength: 100, description: 'Institution portal path (e.g. myInstitute)' }),
    start: Type.Integer({ minimum: 0, default: 0 }),
    end: Type.Integer({ minimum: 0, default: 50 }),
    search: field(200, 'Text to search for in a name or group'),
  },
  { additionalProperties: false },
);

export const InstitutionQuery = Type.Object(
  { institution: Type.String({ maxLength: 100, description: 'Institution portal path' }) },
  { additionalProperties: false },
);

export const InviteFields = Type.Object(
  {
    institution: Type.String({ maxLength: 100 }),
    emailAddressList: Type.String({ maxLength: 2_000_000, description: 'New-line separated lines' }),
    generateAccount: field(5, '"true" or "false" (ignored unless the institution has the feature)'),
    enrollCohorts: field(20_000, 'JSON array of cohort paths'),
  },
  { additionalProperties: false },
);

export const ClassInviteFields = Type.Object(
  { emailAddressList: Type.String({ maxLength: 2_000_000, description: 'New-line separated addresses' }) },
  { additionalProperties: false },
);

export const JobParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

export const HmacQuery = Type.Object(
  {
    payload: field(4000, 'The JSON payload'),
    secret: field(500, 'The shared secret (never your real one)'),
    encoding: field(10, 'base64url (default) or base64'),
    signed_request: field(8192, 'A signed request to test'),
  },
  { additionalProperties: false },
);

export const SignedRequestQuery = Type.Object(
  { signed_request: Type.String({ maxLength: 8192 }) },
  { additionalProperties: false },
);

export const Success = Type.Object({ success: Type.Boolean() }, { additionalProperties: true });
export const ErrorBody = Type.Object({ success: Type.Boolean(), error: Type.String(), code: Type.String() });
export const ClassBody = Type.Object({
  success: Type.Boolean(),
  class: Type.Object({ path: Type.String(), title: Type.String(), type: Type.String() }),
});
export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
