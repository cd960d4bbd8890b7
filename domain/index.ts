// The shared domain module: codes, process configuration, project rules, access rules and API schemas.
// Workflow code imports the submodules it needs directly (codes, process, project), never schemas (zod).
export * from './codes';
export * from './process';
export * from './project';
export * from './access';
export * from './uscc';
