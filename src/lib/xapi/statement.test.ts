import { describe, expect, it } from 'vitest';
import { XapiInvalid, type XapiVersion } from './errors.ts';
import { validateStatement } from './statement.ts';

// Tests are named by the ADL LRS conformance requirement ids (adlnet/xapi-lrs-conformance-requirements).

type Json = Record<string, unknown>;

const AGENT = { objectType: 'Agent', name: 'Ada', mbox: 'mailto:ada@example.com' };
const ACTIVITY = {
  objectType: 'Activity',
  id: 'http://example.com/activities/quiz',
  definition: { name: { 'en-US': 'Quiz' }, type: 'http://adlnet.gov/expapi/activities/assessment' },
};
const ID = 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0';

function statement(changes: Json = {}): Json {
  return {
    id: ID,
    actor: AGENT,
    verb: { id: 'http://adlnet.gov/expapi/verbs/attempted', display: { 'en-US': 'attempted' } },
    object: ACTIVITY,
    ...changes,
  };
}

function without(key: string): Json {
  const s = statement();
  delete s[key];
  return s;
}

function rejection(value: unknown, version: XapiVersion = '1.0.3'): XapiInvalid {
  try {
    validateStatement(value, version, 'statements[0]');
  } catch (error) {
    if (error instanceof XapiInvalid) return error;
    throw error;
  }
  throw new Error('the statement was accepted');
}

/** Expects a rejection whose path is `path` (under statements[0]). */
function rejects(value: unknown, path: string, version: XapiVersion = '1.0.3'): void {
  const error = rejection(value, version);
  expect(error.path).toBe(path === '' ? 'statements[0]' : `statements[0].${path}`);
  expect(error.message.startsWith(error.path)).toBe(true);
}

function accepts(value: unknown, version: XapiVersion = '1.0.3'): void {
  expect(validateStatement(value, version)).toEqual(value);
}

const sub = (changes: Json = {}): Json => ({
  objectType: 'SubStatement',
  actor: AGENT,
  verb: { id: 'http://example.com/verbs/will-attend' },
  object: ACTIVITY,
  ...changes,
});

describe('2.2 formatting requirements', () => {
  it('accepts a complete valid statement unchanged', () => {
    accepts(
      statement({
        result: {
          score: { scaled: 0.5, raw: 5, min: 0, max: 10 },
          success: true,
          completion: false,
          response: 'b',
          duration: 'PT1M3.5S',
        },
        context: {
          registration: ID,
          instructor: { mbox_sha1sum: 'ebd31e95054c018b10727ccffd2ef2ec3a016ee9' },
          team: { objectType: 'Group', member: [AGENT] },
          contextActivities: { parent: ACTIVITY, grouping: [ACTIVITY] },
          revision: 'r1',
          platform: 'web',
          language: 'en-GB',
          statement: { objectType: 'StatementRef', id: ID },
          extensions: { 'http://example.com/ext': null },
        },
        timestamp: '2026-12-03T10:00:00.123Z',
        version: '1.0.3',
      }),
    );
  });

  it('XAPI-00001 rejects a property set to null, except inside extensions', () => {
    rejects(statement({ result: { success: null } }), 'result.success');
    accepts(statement({ result: { extensions: { 'http://example.com/x': null } } }));
  });
  it('XAPI-00003 rejects a statement without actor', () => rejects(without('actor'), 'actor'));
  it('XAPI-00004 rejects a statement without verb', () => rejects(without('verb'), 'verb'));
  it('XAPI-00005 rejects a statement without object', () => rejects(without('object'), 'object'));
  it('XAPI-00006 rejects a value of the wrong data type', () => {
    rejects(statement({ result: { success: 'true' } }), 'result.success');
    rejects(statement({ verb: 'http://example.com/verbs/x' }), 'verb');
  });
  it('XAPI-00007 rejects an empty string where an IRI, UUID or mailto IRI is required', () => {
    rejects(statement({ id: '' }), 'id');
    rejects(statement({ verb: { id: '' } }), 'verb.id');
    rejects(statement({ actor: { mbox: '' } }), 'actor.mbox');
  });
  it('XAPI-00008 rejects a key whose case differs from the specification', () => {
    rejects(statement({ Actor: AGENT }), 'Actor');
    rejects(statement({ actor: { ...AGENT, MBOX: 'mailto:x@example.com' } }), 'actor.MBOX');
  });
  it('XAPI-00009 rejects an enumerated value in the wrong case', () => {
    rejects(statement({ actor: { ...AGENT, objectType: 'agent' } }), 'actor.objectType');
    rejects(
      statement({ object: { ...ACTIVITY, definition: { interactionType: 'Choice' } } }),
      'object.definition.interactionType',
    );
  });
  it('XAPI-00010 rejects a key the specification does not allow', () => {
    rejects(statement({ extra: 1 }), 'extra');
    rejects(
      statement({ object: { ...ACTIVITY, definition: { colour: 'red' } } }),
      'object.definition.colour',
    );
  });
  it('XAPI-00011 rejects an IRI without a scheme', () =>
    rejects(statement({ verb: { id: 'example.com/verbs/x' } }), 'verb.id'));
  it('XAPI-00013 rejects a language map key that is not an RFC 5646 tag', () =>
    rejects(
      statement({ verb: { id: 'http://example.com/v', display: { 'en_US!': 'x' } } }),
      'verb.display.en_US!',
    ));
});

describe('2.3.2 voiding', () => {
  const voiding = (object: Json) =>
    statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object });
  it('XAPI-00017 rejects a voiding statement whose object is not a StatementRef', () =>
    rejects(voiding(ACTIVITY), 'object.objectType'));
  it('XAPI-00020 accepts a voiding statement whose object is a StatementRef', () =>
    accepts(voiding({ objectType: 'StatementRef', id: ID })));
});

describe('2.4 statement properties', () => {
  it('XAPI-00022 rejects an invalid timestamp', () =>
    rejects(statement({ timestamp: '01/011/2015' }), 'timestamp'));
  it('XAPI-00024 rejects an authority that is not an Agent or Group', () =>
    rejects(
      statement({ authority: { objectType: 'Activity', id: 'http://example.com/a' } }),
      'authority.objectType',
    ));
  it('XAPI-00025 rejects attachments that are not an array of attachments', () => {
    rejects(statement({ attachments: {} }), 'attachments');
    rejects(statement({ attachments: [1] }), 'attachments[0]');
  });
  it('XAPI-00027 rejects an id that is not a UUID', () =>
    rejects(statement({ id: 'AA97B177-9383-4934-8543-0F91A7A028368' }), 'id'));
  it('XAPI-00028 rejects an id that is not a string', () => rejects(statement({ id: 12345 }), 'id'));
  it('XAPI-00029 rejects a UUID not in standard string form', () =>
    rejects(statement({ id: `{${ID}}` }), 'id'));
  it('XAPI-00030 rejects a UUID that does not follow RFC 4122', () =>
    rejects(statement({ id: 'MA97B177-9383-4934-8543-0F91A7A02836' }), 'id'));
});

describe('2.4.2 actor', () => {
  it('XAPI-00031 rejects an actor whose objectType is not Agent or Group', () =>
    rejects(statement({ actor: { ...AGENT, objectType: 'Person' } }), 'actor.objectType'));
  it('XAPI-00032 rejects an objectType that is not a string', () =>
    rejects(statement({ actor: { ...AGENT, objectType: 1 } }), 'actor.objectType'));
  it('XAPI-00033 rejects a name that is not a string', () =>
    rejects(statement({ actor: { ...AGENT, name: 5 } }), 'actor.name'));
  it('XAPI-00034 rejects an Agent with no IFI or with two', () => {
    rejects(statement({ actor: { name: 'nobody' } }), 'actor');
    rejects(statement({ actor: { ...AGENT, openid: 'http://openid.example.com/ada' } }), 'actor');
  });
  it('XAPI-00035 rejects member outside a Group', () =>
    rejects(statement({ actor: { ...AGENT, member: [AGENT] } }), 'actor.member'));
  it('XAPI-00036 rejects a member list that is not an array of Agents', () => {
    rejects(statement({ actor: { objectType: 'Group', member: AGENT } }), 'actor.member');
    rejects(
      statement({ actor: { objectType: 'Group', member: [{ objectType: 'Group', member: [AGENT] }] } }),
      'actor.member[0].objectType',
    );
  });
  it('XAPI-00037 rejects a Group with two IFIs, or anonymous without members', () => {
    rejects(
      statement({
        actor: { objectType: 'Group', mbox: 'mailto:g@example.com', openid: 'http://example.com/g' },
      }),
      'actor',
    );
    rejects(statement({ actor: { objectType: 'Group', member: [] } }), 'actor.member');
    rejects(statement({ actor: { objectType: 'Group', name: 'g' } }), 'actor');
    accepts(
      statement({ actor: { objectType: 'Group', account: { homePage: 'http://example.com', name: 'g' } } }),
    );
  });
  it('XAPI-00038 rejects an mbox that is not a mailto IRI', () =>
    rejects(statement({ actor: { mbox: 'ada@example.com' } }), 'actor.mbox'));
  it('XAPI-00039 rejects an mbox_sha1sum that is not a SHA-1 hex string', () =>
    rejects(statement({ actor: { mbox_sha1sum: 'not-a-sha1' } }), 'actor.mbox_sha1sum'));
  it('XAPI-00040 rejects an openid that is not a URI', () =>
    rejects(statement({ actor: { openid: 'not a uri' } }), 'actor.openid'));
  it('XAPI-00041 rejects an account that is not an object', () =>
    rejects(statement({ actor: { account: 'ada' } }), 'actor.account'));
  it('XAPI-00042 rejects an account without a valid homePage IRL', () => {
    rejects(statement({ actor: { account: { name: 'ada' } } }), 'actor.account.homePage');
    rejects(
      statement({ actor: { account: { homePage: 'example.com', name: 'ada' } } }),
      'actor.account.homePage',
    );
  });
  it('XAPI-00043 rejects an account without a string name', () =>
    rejects(
      statement({ actor: { account: { homePage: 'http://example.com', name: 7 } } }),
      'actor.account.name',
    ));
});

describe('2.4.3 verb and 2.4.4 object', () => {
  it('XAPI-00044 rejects a verb without an IRI id', () => {
    rejects(statement({ verb: { display: { en: 'x' } } }), 'verb.id');
    rejects(statement({ verb: { id: 'not an iri' } }), 'verb.id');
  });
  it('XAPI-00045 rejects a verb display that is not a language map', () =>
    rejects(statement({ verb: { id: 'http://example.com/v', display: 'attempted' } }), 'verb.display'));
  it('XAPI-00046 rejects an object with an unknown objectType', () =>
    rejects(statement({ object: { ...ACTIVITY, objectType: 'Thing' } }), 'object.objectType'));
  it('XAPI-00047 rejects an Activity without an IRI id', () => {
    rejects(statement({ object: { objectType: 'Activity' } }), 'object.id');
    rejects(statement({ object: { id: 'quiz 1' } }), 'object.id');
  });
  it('XAPI-00048 rejects a definition that is not an object', () =>
    rejects(statement({ object: { ...ACTIVITY, definition: 'quiz' } }), 'object.definition'));
  it('XAPI-00049 rejects an unknown interactionType', () =>
    rejects(
      statement({ object: { ...ACTIVITY, definition: { interactionType: 'essay' } } }),
      'object.definition.interactionType',
    ));
  it('XAPI-00050 rejects a correctResponsesPattern that is not an array of strings', () =>
    rejects(
      statement({
        object: { ...ACTIVITY, definition: { interactionType: 'fill-in', correctResponsesPattern: [1] } },
      }),
      'object.definition.correctResponsesPattern[0]',
    ));
  const list = (interactionType: string, key: string, value: unknown) =>
    statement({ object: { ...ACTIVITY, definition: { interactionType, [key]: value } } });
  it('XAPI-00051 rejects steps that are not interaction components', () =>
    rejects(
      list('performance', 'steps', [{ description: { en: 'no id' } }]),
      'object.definition.steps[0].id',
    ));
  it('XAPI-00052 rejects target that is not interaction components', () =>
    rejects(list('matching', 'target', 'a'), 'object.definition.target'));
  it('XAPI-00053 rejects source that is not interaction components', () =>
    rejects(list('matching', 'source', [{ id: 1 }]), 'object.definition.source[0].id'));
  it('XAPI-00054 rejects scale that is not interaction components', () =>
    rejects(list('likert', 'scale', [{ id: 'a', extra: 1 }]), 'object.definition.scale[0].extra'));
  it('XAPI-00055 rejects choices that are not interaction components, and a list the type does not use', () => {
    rejects(list('choice', 'choices', [null]), 'object.definition.choices[0]');
    rejects(list('true-false', 'choices', [{ id: 'a' }]), 'object.definition.choices');
    accepts(list('sequencing', 'choices', [{ id: 'a', description: { en: 'A' } }, { id: 'b' }]));
  });
  it('XAPI-00056 rejects a definition name that is not a language map', () =>
    rejects(statement({ object: { ...ACTIVITY, definition: { name: 'Quiz' } } }), 'object.definition.name'));
  it('XAPI-00057 rejects definition extensions that are not an extensions object', () =>
    rejects(
      statement({ object: { ...ACTIVITY, definition: { extensions: ['x'] } } }),
      'object.definition.extensions',
    ));
  it('XAPI-00058 rejects an interaction component id that is missing or repeated', () =>
    rejects(list('choice', 'choices', [{ id: 'a' }, { id: 'a' }]), 'object.definition.choices[1].id'));
  it('XAPI-00059 rejects a definition description that is not a language map', () =>
    rejects(
      statement({ object: { ...ACTIVITY, definition: { description: { en: 1 } } } }),
      'object.definition.description.en',
    ));
  it('XAPI-00060 rejects a definition type that is not an IRI', () =>
    rejects(
      statement({ object: { ...ACTIVITY, definition: { type: 'assessment' } } }),
      'object.definition.type',
    ));
  it('XAPI-00061 rejects a moreInfo that is not an IRL', () =>
    rejects(
      statement({ object: { ...ACTIVITY, definition: { moreInfo: 'www.example.com' } } }),
      'object.definition.moreInfo',
    ));
  it('XAPI-00062 rejects a component description that is not a language map', () =>
    rejects(
      list('choice', 'choices', [{ id: 'a', description: 'A' }]),
      'object.definition.choices[0].description',
    ));
  it('XAPI-00063 rejects an interaction component that is not an object', () =>
    rejects(list('choice', 'choices', ['a']), 'object.definition.choices[0]'));
  it('XAPI-00064 rejects a correctResponsesPattern without an interactionType', () =>
    rejects(
      statement({ object: { ...ACTIVITY, definition: { correctResponsesPattern: ['a'] } } }),
      'object.definition.correctResponsesPattern',
    ));
  it('XAPI-00065 treats an Agent object without objectType as an Activity, so rejects it', () =>
    rejects(statement({ object: { mbox: 'mailto:b@example.com' } }), 'object.mbox'));
  it('XAPI-00066 rejects a SubStatement with an invalid property', () =>
    rejects(statement({ object: sub({ verb: { id: 'nope' } }) }), 'object.verb.id'));
  it('XAPI-00067 rejects a SubStatement with authority', () =>
    rejects(statement({ object: sub({ authority: AGENT }) }), 'object.authority'));
  it('XAPI-00068 rejects a SubStatement with version', () =>
    rejects(statement({ object: sub({ version: '1.0.0' }) }), 'object.version'));
  it('XAPI-00069 rejects a SubStatement with stored', () =>
    rejects(statement({ object: sub({ stored: '2026-12-03T10:00:00Z' }) }), 'object.stored'));
  it('XAPI-00070 rejects a SubStatement with id', () =>
    rejects(statement({ object: sub({ id: ID }) }), 'object.id'));
  it('XAPI-00071 rejects a SubStatement inside a SubStatement', () =>
    rejects(statement({ object: sub({ object: sub() }) }), 'object.object.objectType'));
  it('XAPI-00072 rejects a StatementRef without a UUID id', () => {
    rejects(statement({ object: { objectType: 'StatementRef' } }), 'object.id');
    rejects(statement({ object: { objectType: 'StatementRef', id: 'abc' } }), 'object.id');
  });
  it('XAPI-00073 treats a StatementRef without objectType as an Activity, so rejects it', () =>
    rejects(statement({ object: { id: ID } }), 'object.id'));
});

describe('2.4.5 result', () => {
  const result = (r: Json) => statement({ result: r });
  it('XAPI-00074 rejects a success that is not a boolean', () =>
    rejects(result({ success: 1 }), 'result.success'));
  it('XAPI-00075 rejects a completion that is not a boolean', () =>
    rejects(result({ completion: 'yes' }), 'result.completion'));
  it('XAPI-00076 rejects a response that is not a string', () =>
    rejects(result({ response: 3 }), 'result.response'));
  it('XAPI-00077 rejects a duration that is not ISO 8601', () =>
    rejects(result({ duration: '1 minute' }), 'result.duration'));
  it('XAPI-00078 rejects result extensions with a non-IRI key', () =>
    rejects(result({ extensions: { note: 'x' } }), 'result.extensions.note'));
  it('XAPI-00079 rejects a score that is not an object', () =>
    rejects(result({ score: 0.5 }), 'result.score'));
  it('XAPI-00080 rejects a max not above min', () =>
    rejects(result({ score: { min: 5, max: 5 } }), 'result.score.min'));
  it('XAPI-00081 rejects a min that is not a number', () =>
    rejects(result({ score: { min: '0' } }), 'result.score.min'));
  it('XAPI-00082 rejects a raw outside min and max', () => {
    rejects(result({ score: { raw: 11, min: 0, max: 10 } }), 'result.score.raw');
    rejects(result({ score: { raw: -1, min: 0 } }), 'result.score.raw');
    accepts(result({ score: { raw: 1000 } }));
  });
  it('XAPI-00083 rejects a scaled score outside -1..1', () => {
    rejects(result({ score: { scaled: 1.01 } }), 'result.score.scaled');
    accepts(result({ score: { scaled: -1 } }));
  });
});

describe('2.4.6 context', () => {
  const context = (c: Json, object: Json = ACTIVITY) => statement({ context: c, object });
  it('XAPI-00084 rejects a revision when the object is not an Activity', () =>
    rejects(context({ revision: 'r' }, { ...AGENT }), 'context.revision'));
  it('XAPI-00085 rejects a platform when the object is not an Activity', () =>
    rejects(context({ platform: 'web' }, { objectType: 'StatementRef', id: ID }), 'context.platform'));
  it('XAPI-00086 rejects contextActivities that is not an object', () =>
    rejects(context({ contextActivities: [ACTIVITY] }), 'context.contextActivities'));
  it('XAPI-00087 rejects a registration that is not a UUID, and an instructor that is not an Agent', () => {
    rejects(context({ registration: 'abc' }), 'context.registration');
    rejects(context({ instructor: { name: 'x' } }), 'context.instructor');
  });
  it('XAPI-00088 rejects a team that is not a Group', () =>
    rejects(context({ team: AGENT }), 'context.team.objectType'));
  it('XAPI-00089 rejects a revision that is not a string', () =>
    rejects(context({ revision: 2 }), 'context.revision'));
  it('XAPI-00090 rejects a platform that is not a string', () =>
    rejects(context({ platform: true }), 'context.platform'));
  it('XAPI-00091 rejects a language that is not RFC 5646', () =>
    rejects(context({ language: 'english!' }), 'context.language'));
  it('XAPI-00092 rejects a context statement that is not a StatementRef', () =>
    rejects(context({ statement: { objectType: 'SubStatement', id: ID } }), 'context.statement.objectType'));
  it('XAPI-00093 rejects a contextActivities key other than parent, grouping, category, other', () =>
    rejects(context({ contextActivities: { sibling: ACTIVITY } }), 'context.contextActivities.sibling'));
  it('XAPI-00094 rejects a contextActivities value that is not an Activity', () =>
    rejects(
      context({ contextActivities: { parent: [{ id: 'x y' }] } }),
      'context.contextActivities.parent[0].id',
    ));
  it('XAPI-00095 rejects empty contextActivities', () =>
    rejects(context({ contextActivities: {} }), 'context.contextActivities'));
  it('xAPI 2.0 accepts contextAgents and contextGroups, and 1.0.3 refuses them', () => {
    const c = {
      contextAgents: [
        { objectType: 'contextAgent', agent: AGENT, relevantTypes: ['http://example.com/types/coach'] },
      ],
      contextGroups: [{ objectType: 'contextGroup', group: { objectType: 'Group', member: [AGENT] } }],
    };
    accepts(context(c), '2.0.0');
    rejects(context(c), 'context.contextAgents');
    rejects(
      context({ contextAgents: [{ objectType: 'contextAgent', agent: AGENT, relevantTypes: [] }] }),
      'context.contextAgents[0].relevantTypes',
      '2.0.0',
    );
    rejects(
      context({ contextGroups: [{ objectType: 'contextGroup', group: AGENT }] }),
      'context.contextGroups[0].group.objectType',
      '2.0.0',
    );
  });
});

describe('2.4.7-2.4.11 timestamp, authority, version, attachments', () => {
  it('XAPI-00123 rejects a timestamp with the -00:00 offset, and xAPI 2.0 one without a zone', () => {
    rejects(statement({ timestamp: '2008-09-15T15:53:00.601-00:00' }), 'timestamp');
    rejects(statement({ timestamp: '2008-09-15T15:53:00.601' }), 'timestamp', '2.0.0');
    accepts(statement({ timestamp: '2008-09-15T15:53:00.601' }));
  });
  it('XAPI-00098 rejects an authority Group without exactly two Agents', () => {
    const group = (member: unknown[]) => statement({ authority: { objectType: 'Group', member } });
    rejects(group([AGENT]), 'authority.member');
    rejects(group([AGENT, AGENT, AGENT]), 'authority.member');
    accepts(group([AGENT, { account: { homePage: 'http://example.com', name: 'app' } }]));
  });
  it('XAPI-00101 rejects a version other than 1.0 or 1.0.x', () => {
    rejects(statement({ version: '0.95' }), 'version');
    rejects(statement({ version: '2.0.0' }), 'version');
    accepts(statement({ version: '2.0.0' }), '2.0.0');
    accepts(statement({ version: '1.0' }));
  });
  const attachment = (changes: Json) =>
    statement({
      attachments: [
        {
          usageType: 'http://example.com/usage/info',
          display: { en: 'info' },
          contentType: 'text/plain; charset=utf-8',
          length: 12,
          sha2: 'a'.repeat(64),
          ...changes,
        },
      ],
    });
  it('XAPI-00102 rejects a length that is not an integer', () =>
    rejects(attachment({ length: 1.5 }), 'attachments[0].length'));
  it('XAPI-00103 rejects a sha2 that is not a SHA-2 hash', () =>
    rejects(attachment({ sha2: 'abc' }), 'attachments[0].sha2'));
  it('XAPI-00104 rejects a fileUrl that is not an IRL', () =>
    rejects(attachment({ fileUrl: 'file name' }), 'attachments[0].fileUrl'));
  it('XAPI-00105 rejects a contentType that is not a media type', () =>
    rejects(attachment({ contentType: 'text' }), 'attachments[0].contentType'));
  it('XAPI-00106 rejects a display that is missing or not a language map', () =>
    rejects(attachment({ display: undefined }), 'attachments[0].display'));
  it('XAPI-00107 rejects a usageType that is not an IRI', () =>
    rejects(attachment({ usageType: 'info' }), 'attachments[0].usageType'));
});

describe('4 special data types', () => {
  it('XAPI-00118 rejects an extension key that is not an IRI', () =>
    rejects(statement({ context: { extensions: { 'not an iri': 1 } } }), 'context.extensions.not an iri'));
  it('XAPI-00119 accepts extension values of null, empty string and empty object', () =>
    accepts(
      statement({
        context: {
          extensions: { 'http://a.example/1': null, 'http://a.example/2': '', 'http://a.example/3': {} },
        },
      }),
    ));
  it('XAPI-00120 rejects extensions that are not key/value pairs', () =>
    rejects(statement({ result: { extensions: 'x' } }), 'result.extensions'));
  it('XAPI-00121 rejects a language map with a malformed tag', () =>
    rejects(
      statement({ object: { ...ACTIVITY, definition: { name: { 'en-US-': 'x' } } } }),
      'object.definition.name.en-US-',
    ));
  it('XAPI-00124 rejects the alternative duration format', () =>
    rejects(statement({ result: { duration: 'P0003-06-04T12:30:05' } }), 'result.duration'));
});

describe('storage limits', () => {
  it('rejects a NUL character anywhere, naming where', () => {
    rejects(statement({ actor: { ...AGENT, name: 'a\u0000b' } }), 'actor.name');
    rejects(
      statement({ result: { extensions: { 'http://example.com/x': ['ok', 'n\u0000'] } } }),
      'result.extensions.http://example.com/x[1]',
    );
  });
});
