// What the benchmark (bench/) measures below the public API, exported on purpose as `regbridge/internal` so that it
// needs no hand-typed copies of the client's internals. Not part of the public API: it may change in any version.
// These are the modules tsc wrote, not the bundle that require('regbridge') loads (scripts/build): an error they throw
// is an instance of their own copy of RegistryError, not of the one regbridge exports; tell errors apart by `code`.
export { RpcConnection } from './transport/pipe/rpcConnection';
export type { LostReason } from './transport/pipe/rpcConnection';
