import { Type } from 'typebox';

/** Page forms: every field optional (a missing field is shown inline on the page, not as a JSON error). */
const field = (maxLength: number) => Type.Optional(Type.String({ maxLength }));

export const ReturnToQuery = Type.Object({ return_to: field(2000) });
export const AccountQuery = Type.Object({ done: field(30) });
export const TokenQuery = Type.Object({ token: field(200) });

export const LoginBody = Type.Object({
  _csrf: field(200),
  return_to: field(2000),
  email: field(320),
  password: field(1024),
});

export const SignupBody = Type.Object({
  _csrf: field(200),
  return_to: field(2000),
  name: field(200),
  username: field(100),
  email: field(320),
  password: field(1024),
});

export const SignupConfirmBody = Type.Object({ _csrf: field(200), token: field(200) });

export const CsrfOnlyBody = Type.Object({ _csrf: field(200) });

export const ForgotBody = Type.Object({ _csrf: field(200), email: field(320) });

export const ResetBody = Type.Object({ _csrf: field(200), token: field(200), password: field(1024) });

export const ChangeEmailBody = Type.Object({
  _csrf: field(200),
  email: field(320),
  current_password: field(1024),
});

export const ChangePasswordBody = Type.Object({
  _csrf: field(200),
  current_password: field(1024),
  new_password: field(1024),
});

export const UsernameParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }) });

export const PublicProfile = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  name: Type.String(),
  profile_url: Type.String({ format: 'uri' }),
  created_at: Type.String({ format: 'date-time' }),
});
