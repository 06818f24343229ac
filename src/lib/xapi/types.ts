/** The shapes of xAPI data (1.0.3 Data part 2; 2.0.0 adds contextAgents and contextGroups). */

export type XapiLanguageMap = Record<string, string>;
export type XapiExtensions = Record<string, unknown>;

export interface XapiAccount {
  homePage: string;
  name: string;
}

interface Identified {
  name?: string;
  mbox?: string;
  mbox_sha1sum?: string;
  openid?: string;
  account?: XapiAccount;
}

export interface XapiAgent extends Identified {
  objectType?: 'Agent';
}

export interface XapiGroup extends Identified {
  objectType: 'Group';
  member?: XapiAgent[];
}

export type XapiActor = XapiAgent | XapiGroup;

export interface XapiVerb {
  id: string;
  display?: XapiLanguageMap;
}

export interface XapiInteractionComponent {
  id: string;
  description?: XapiLanguageMap;
}

export interface XapiActivityDefinition {
  name?: XapiLanguageMap;
  description?: XapiLanguageMap;
  type?: string;
  moreInfo?: string;
  interactionType?: string;
  correctResponsesPattern?: string[];
  choices?: XapiInteractionComponent[];
  scale?: XapiInteractionComponent[];
  source?: XapiInteractionComponent[];
  target?: XapiInteractionComponent[];
  steps?: XapiInteractionComponent[];
  extensions?: XapiExtensions;
}

export interface XapiActivity {
  objectType?: 'Activity';
  id: string;
  definition?: XapiActivityDefinition;
}

export interface XapiStatementRef {
  objectType: 'StatementRef';
  id: string;
}

export interface XapiScore {
  scaled?: number;
  raw?: number;
  min?: number;
  max?: number;
}

export interface XapiResult {
  score?: XapiScore;
  success?: boolean;
  completion?: boolean;
  response?: string;
  duration?: string;
  extensions?: XapiExtensions;
}

export interface XapiContextActivities {
  parent?: XapiActivity | XapiActivity[];
  grouping?: XapiActivity | XapiActivity[];
  category?: XapiActivity | XapiActivity[];
  other?: XapiActivity | XapiActivity[];
}

export interface XapiContextAgent {
  objectType: 'contextAgent';
  agent: XapiAgent;
  relevantTypes?: string[];
}

export interface XapiContextGroup {
  objectType: 'contextGroup';
  group: XapiGroup;
  relevantTypes?: string[];
}

export interface XapiContext {
  registration?: string;
  instructor?: XapiActor;
  team?: XapiGroup;
  contextActivities?: XapiContextActivities;
  contextAgents?: XapiContextAgent[];
  contextGroups?: XapiContextGroup[];
  revision?: string;
  platform?: string;
  language?: string;
  statement?: XapiStatementRef;
  extensions?: XapiExtensions;
}

export interface XapiAttachment {
  usageType: string;
  display: XapiLanguageMap;
  description?: XapiLanguageMap;
  contentType: string;
  length: number;
  sha2: string;
  fileUrl?: string;
}

export interface XapiSubStatement {
  objectType: 'SubStatement';
  actor: XapiActor;
  verb: XapiVerb;
  object: XapiActivity | XapiActor | XapiStatementRef;
  result?: XapiResult;
  context?: XapiContext;
  timestamp?: string;
  attachments?: XapiAttachment[];
}

export type XapiObject = XapiActivity | XapiActor | XapiStatementRef | XapiSubStatement;

export interface XapiStatement {
  id?: string;
  actor: XapiActor;
  verb: XapiVerb;
  object: XapiObject;
  result?: XapiResult;
  context?: XapiContext;
  timestamp?: string;
  stored?: string;
  authority?: XapiActor;
  version?: string;
  attachments?: XapiAttachment[];
}

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';
export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';
