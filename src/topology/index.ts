// The topology part of the package: what src/index.ts exports from it.
export { Topology } from './topology.js';
export type { AggregateOptions } from './topology.js';
export { Aggregation } from './aggregation.js';
export type { AggrGroup } from './aggregation.js';
export { TopologyError } from './error.js';
export type { TopologyErrorCode, TopologyErrorDetails } from './error.js';
export type { AggrCpuId } from './aggr-id.js';
export { AGGR_LEVELS } from './levels.js';
export type { AggrLevel } from './levels.js';
export { aggrLabel } from './labels.js';
export type { TopologyObject, TopologyObjectCpu, TopologyObjectCache } from './from-object.js';
export type { CacheLevelData, TopologyOrigin } from './data.js';
