-- Tells every process holding a cache of verified bearer tokens (src/modules/oauth/oauth.token-cache.ts)
-- that an access token, client-credentials token or grant was deleted or changed, whoever did it. NOTIFY is
-- transactional: listeners hear it when (and only if) the change commits. Identical notifications in one
-- transaction are folded into one.
CREATE FUNCTION learnhub_oauth_token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('learnhub_oauth_revoked', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER oidc_payloads_token_revoked
  AFTER DELETE OR UPDATE ON oidc_payloads
  FOR EACH ROW
  WHEN (OLD.model IN ('AccessToken', 'ClientCredentials', 'Grant'))
  EXECUTE FUNCTION learnhub_oauth_token_revoked();
