import { at, fail, index } from './errors.ts';
import { isIrl } from './formats.ts';
import type { XapiActivity } from './types.ts';
import { array, extensions, iri, languageMap, object, required, string } from './values.ts';

const DEFINITION_KEYS = [
  'name',
  'description',
  'type',
  'moreInfo',
  'interactionType',
  'correctResponsesPattern',
  'choices',
  'scale',
  'source',
  'target',
  'steps',
  'extensions',
];

const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;

/** Which interaction component lists each interactionType uses (Data 2.4.4.1 table). */
const LISTS_OF: Record<string, readonly string[]> = {
  'true-false': [],
  choice: ['choices'],
  'fill-in': [],
  'long-fill-in': [],
  matching: ['source', 'target'],
  performance: ['steps'],
  sequencing: ['choices'],
  likert: ['scale'],
  numeric: [],
  other: [],
};

function components(value: unknown, path: string): void {
  const seen = new Set<string>();
  array(value, path).forEach((item, i) => {
    const itemPath = index(path, i);
    const component = object(item, itemPath, ['id', 'description']);
    const id = string(required(component, 'id', itemPath), at(itemPath, 'id'));
    if (id.length === 0) fail(at(itemPath, 'id'), 'must not be empty');
    if (seen.has(id)) fail(at(itemPath, 'id'), `repeats "${id}"; ids are unique within a list`);
    seen.add(id);
    if (component.description !== undefined) languageMap(component.description, at(itemPath, 'description'));
  });
}

/**
 * An Activity Definition (XAPI-00048..00064). An interaction list that its interactionType does
 * not use is refused, which the spec permits ("MAY validate the remaining properties").
 */
function definition(value: unknown, path: string): void {
  const def = object(value, path, DEFINITION_KEYS);
  if (def.name !== undefined) languageMap(def.name, at(path, 'name'));
  if (def.description !== undefined) languageMap(def.description, at(path, 'description'));
  if (def.type !== undefined) iri(def.type, at(path, 'type'));
  if (def.moreInfo !== undefined) {
    if (!isIrl(string(def.moreInfo, at(path, 'moreInfo')))) fail(at(path, 'moreInfo'), 'must be an IRL');
  }
  if (def.extensions !== undefined) extensions(def.extensions, at(path, 'extensions'));
  let lists: readonly string[] = [];
  if (def.interactionType !== undefined) {
    const type = string(def.interactionType, at(path, 'interactionType'));
    const allowed = LISTS_OF[type];
    if (allowed === undefined) {
      fail(at(path, 'interactionType'), `"${type}" is not one of ${Object.keys(LISTS_OF).join(', ')}`);
    }
    lists = allowed;
  }
  if (def.correctResponsesPattern !== undefined) {
    const crpPath = at(path, 'correctResponsesPattern');
    if (def.interactionType === undefined) fail(crpPath, 'needs an interactionType');
    array(def.correctResponsesPattern, crpPath).forEach((pattern, i) => {
      string(pattern, index(crpPath, i));
    });
  }
  for (const list of COMPONENT_LISTS) {
    if (def[list] === undefined) continue;
    if (def.interactionType === undefined) fail(at(path, list), 'needs an interactionType');
    if (!lists.includes(list)) {
      fail(at(path, list), `is not a component list of interactionType "${String(def.interactionType)}"`);
    }
    components(def[list], at(path, list));
  }
}

/** An Activity: objectType absent or "Activity", an IRI id, an optional definition (XAPI-00047). */
export function validateActivity(value: unknown, path: string): XapiActivity {
  const activity = object(value, path, ['objectType', 'id', 'definition']);
  if (activity.objectType !== undefined && activity.objectType !== 'Activity') {
    fail(at(path, 'objectType'), 'must be "Activity"');
  }
  iri(required(activity, 'id', path), at(path, 'id'));
  if (activity.definition !== undefined) definition(activity.definition, at(path, 'definition'));
  return activity as unknown as XapiActivity;
}
