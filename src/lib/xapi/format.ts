import type {
  XapiActivity,
  XapiActor,
  XapiAgent,
  XapiContext,
  XapiContextActivities,
  XapiLanguageMap,
  XapiObject,
  XapiStatement,
  XapiSubStatement,
  XapiVerb,
} from './types.ts';

export type XapiFormat = 'exact' | 'ids' | 'canonical';

/**
 * The language of a map that best fits the reader's preferences (Accept-Language order): an exact
 * tag, then a shared primary language, else the map's first entry, so one language always remains.
 */
export function bestLanguage(map: XapiLanguageMap, languages: readonly string[]): string | undefined {
  const tags = Object.keys(map);
  for (const wanted of languages) {
    const w = wanted.toLowerCase();
    const exact = tags.find((tag) => tag.toLowerCase() === w);
    if (exact !== undefined) return exact;
    const primary = w.split('-')[0];
    const related = tags.find((tag) => tag.toLowerCase().split('-')[0] === primary);
    if (related !== undefined) return related;
  }
  return tags[0];
}

function reduceMap(
  map: XapiLanguageMap | undefined,
  languages: readonly string[],
): XapiLanguageMap | undefined {
  if (map === undefined) return undefined;
  const tag = bestLanguage(map, languages);
  return tag === undefined ? {} : { [tag]: map[tag] ?? '' };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

interface Mode {
  actor(actor: XapiActor): XapiActor;
  verb(verb: XapiVerb): XapiVerb;
  activity(activity: XapiActivity): XapiActivity;
}

function idsAgent(agent: XapiAgent): XapiAgent {
  const { objectType, mbox, mbox_sha1sum, openid, account } = agent;
  return withoutUndefined({ objectType, mbox, mbox_sha1sum, openid, account });
}

function idsActor(actor: XapiActor): XapiActor {
  const { mbox, mbox_sha1sum, openid, account } = actor;
  if (actor.objectType === 'Group') {
    const identified = mbox ?? mbox_sha1sum ?? openid ?? account;
    return withoutUndefined({
      objectType: 'Group' as const,
      mbox,
      mbox_sha1sum,
      openid,
      account,
      // An anonymous Group is identified by its members.
      member: identified === undefined ? actor.member?.map((m) => idsAgent(m)) : undefined,
    });
  }
  return idsAgent(actor);
}

const IDS: Mode = {
  actor: idsActor,
  verb: (verb) => ({ id: verb.id }),
  activity: (activity) => withoutUndefined({ objectType: activity.objectType, id: activity.id }),
};

function canonical(languages: readonly string[]): Mode {
  const components = (list: { id: string; description?: XapiLanguageMap }[] | undefined) =>
    list?.map((c) => withoutUndefined({ id: c.id, description: reduceMap(c.description, languages) }));
  return {
    actor: (actor) => actor,
    verb: (verb) => withoutUndefined({ id: verb.id, display: reduceMap(verb.display, languages) }),
    activity: (activity) => {
      const def = activity.definition;
      if (def === undefined) return activity;
      return {
        ...activity,
        definition: withoutUndefined({
          ...def,
          name: reduceMap(def.name, languages),
          description: reduceMap(def.description, languages),
          choices: components(def.choices),
          scale: components(def.scale),
          source: components(def.source),
          target: components(def.target),
          steps: components(def.steps),
        }),
      };
    },
  };
}

function object(value: XapiObject, mode: Mode): XapiObject {
  switch (value.objectType) {
    case 'Agent':
    case 'Group':
      return mode.actor(value);
    case 'StatementRef':
      return value;
    case 'SubStatement':
      return sub(value, mode);
    default:
      // Without objectType (or with "Activity") the object is an Activity.
      return mode.activity(value as XapiActivity);
  }
}

function activities(list: XapiActivity | XapiActivity[] | undefined, mode: Mode): XapiActivity[] | undefined {
  if (list === undefined) return undefined;
  // Statements are returned with every contextActivities value as an array (XAPI-00096).
  return (Array.isArray(list) ? list : [list]).map((a) => mode.activity(a));
}

function context(value: XapiContext | undefined, mode: Mode): XapiContext | undefined {
  if (value === undefined) return undefined;
  const ca = value.contextActivities;
  const contextActivities: XapiContextActivities | undefined =
    ca === undefined
      ? undefined
      : withoutUndefined({
          parent: activities(ca.parent, mode),
          grouping: activities(ca.grouping, mode),
          category: activities(ca.category, mode),
          other: activities(ca.other, mode),
        });
  return withoutUndefined({
    ...value,
    instructor: value.instructor && mode.actor(value.instructor),
    team: value.team && (mode.actor(value.team) as XapiContext['team']),
    contextActivities,
    contextAgents: value.contextAgents?.map((c) => ({
      ...c,
      agent: mode.actor(c.agent),
    })) as XapiContext['contextAgents'],
    contextGroups: value.contextGroups?.map((c) => ({
      ...c,
      group: mode.actor(c.group),
    })) as XapiContext['contextGroups'],
  });
}

function sub(value: XapiSubStatement, mode: Mode): XapiSubStatement {
  return withoutUndefined({
    ...value,
    actor: mode.actor(value.actor),
    verb: mode.verb(value.verb),
    object: object(value.object, mode) as XapiSubStatement['object'],
    context: context(value.context, mode),
  });
}

/**
 * A stored statement in the form a query asked for (Communication 2.1.3 `format`): `exact` as
 * stored; `ids` with Agents, Groups, Activities and Verbs reduced to what identifies them;
 * `canonical` with language maps of Activities and Verbs reduced to the reader's best language.
 * contextActivities are always arrays on the way out.
 */
export function formatStatement(
  statement: XapiStatement,
  format: XapiFormat,
  languages: readonly string[],
): XapiStatement {
  const exact: Mode = { actor: (a) => a, verb: (v) => v, activity: (a) => a };
  const mode = format === 'ids' ? IDS : format === 'canonical' ? canonical(languages) : exact;
  return withoutUndefined({
    ...statement,
    actor: mode.actor(statement.actor),
    verb: mode.verb(statement.verb),
    object: object(statement.object, mode),
    context: context(statement.context, mode),
    authority: statement.authority && mode.actor(statement.authority),
  });
}
