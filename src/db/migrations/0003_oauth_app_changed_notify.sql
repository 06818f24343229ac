-- Tells every process holding a cache of app names (src/modules/oauth/oauth.app-cache.ts: the sender named
-- in mail, the generator of Activity Streams pages) that an app was renamed, changed or deleted, whoever did
-- it (the API, the developer page, the CLI, an operator's SQL). NOTIFY is transactional: listeners hear it
-- when (and only if) the change commits; identical notifications in one transaction are folded into one.
CREATE FUNCTION learnhub_oauth_app_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('learnhub_oauth_apps', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER apps_changed
  AFTER UPDATE OR DELETE ON oauth_apps
  FOR EACH STATEMENT
  EXECUTE FUNCTION learnhub_oauth_app_changed();
