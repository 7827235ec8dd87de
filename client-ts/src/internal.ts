// What the benchmark (bench/) measures below the public API, exported on purpose as `regbridge/internal` so that it
// needs no hand-typed copies of the client's internals. Not part of the public API: it may change in any version.
export { RpcConnection } from './transport/pipe/rpcConnection';
export type { LostReason } from './transport/pipe/rpcConnection';
