// The little of PouchDB's and express-pouchdb's APIs the sync bench's baseline uses (the
// packages ship no types of their own).
declare module 'pouchdb-core' {
  export interface PouchDoc {
    _id: string;
    _rev?: string;
    _conflicts?: string[];
    [field: string]: unknown;
  }
  interface ReplicationOptions {
    batch_size?: number;
  }
  export interface PouchDatabase {
    bulkDocs(docs: PouchDoc[]): Promise<unknown[]>;
    get(id: string, options?: { conflicts?: boolean }): Promise<PouchDoc>;
    put(doc: PouchDoc): Promise<{ rev: string }>;
    allDocs(options: { include_docs: true; conflicts?: boolean }): Promise<{ rows: { id: string; doc?: PouchDoc }[] }>;
    replicate: {
      to(url: string, options?: ReplicationOptions): Promise<unknown>;
      from(url: string, options?: ReplicationOptions): Promise<unknown>;
    };
    sync(url: string, options?: ReplicationOptions): Promise<unknown>;
  }
  export interface PouchDBStatic {
    new (name: string, options?: { adapter?: string }): PouchDatabase;
    plugin(plugin: unknown): PouchDBStatic;
    defaults(options: { adapter?: string }): PouchDBStatic;
  }
  const PouchDB: PouchDBStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}

declare module 'express-pouchdb' {
  import type { Server } from 'node:http';
  import type { PouchDBStatic } from 'pouchdb-core';
  interface App {
    listen(port: number, host: string, ready: () => void): Server;
  }
  export default function expressPouchDB(
    pouchDB: PouchDBStatic,
    options: { mode: 'minimumForPouchDB' | 'fullCouchDB'; inMemoryConfig?: boolean; logPath?: string },
  ): App;
}
