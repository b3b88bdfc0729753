// TopologyError: every failure of the topology readers and of aggregation.

export type TopologyErrorCode =
  | 'ENOTREE'        // the sysfs root has no devices/system/cpu directory (or Node's fs is not available)
  | 'ENOFEATURE'     // a perf.data file without the header feature a topology needs
  | 'EBADOBJECT'     // a plain-object topology with a field of the wrong type or out of range
  | 'EINCONSISTENT'  // data that contradicts itself (a cpu in two nodes, a socket id perf rejects...)
  | 'EBADLEVEL';     // an unknown aggregation level or cache level

export interface TopologyErrorDetails {
  /** The file or directory at fault (sysfs). */
  path?: string;
  /** The cpu the fault concerns. */
  cpu?: number;
}

export class TopologyError extends Error implements TopologyErrorDetails {
  readonly code: TopologyErrorCode;
  declare readonly path?: string;
  declare readonly cpu?: number;

  constructor(code: TopologyErrorCode, message: string, details: TopologyErrorDetails = {}) {
    super(message);
    this.name = 'TopologyError';
    this.code = code;
    Object.assign(this, details);
  }
}
