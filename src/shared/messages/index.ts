/**
 * Messages shared by the client, the worker's activities and the workflows, one module per
 * topic. Pure types and constants only: these modules are bundled into the workflow sandbox.
 * This index re-exports them all so the ~60 modules that import `shared/messages` stay as
 * they are; new code may import the topic module it needs.
 */
export * from './run-input';
export * from './plan';
export * from './shard';
export * from './batch';
export * from './progress';
export * from './failures';
