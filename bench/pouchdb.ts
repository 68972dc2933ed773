// PouchDB as the sync bench's baseline uses it: the core with the in-memory and HTTP
// adapters and replication, as a CouchDB-style offline-first app (the Community Health
// Toolkit) syncs its devices. A database named by a URL is a remote one, over HTTP.
import PouchDB from 'pouchdb-core';
import http from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';

export const BenchPouchDB = PouchDB.plugin(memory).plugin(http).plugin(replication);
