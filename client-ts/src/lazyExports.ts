// What require('regbridge') gives at the first use of an export: the functions that open a registry, the error class
// and the tables of names. index.ts loads this module then, not before.
//
// The build (scripts/build) bundles this module and everything it loads into this one file: an in-process open then
// loads one module instead of ten, each of which cost a fresh process its path resolved (several stats), its file
// read and its code compiled apart (6.7 ms for the open before, 5.3 ms after). The transports stay as lazy as they
// are in the sources: a module in the bundle runs at its first require, so the pipe transport (node:net, the helper's
// supervisor) still runs only when a pipe registry is opened.
export { openRegistry, openRegistrySync } from './api';
export { RegistryError, errorCodes } from './errors';
export { valueTypeNames } from './values';
