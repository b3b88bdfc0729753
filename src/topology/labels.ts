// The label perf stat prints before each aggregated count (stat-display.c,
// print_aggr_id_std): "S0-D0-C3", "S1-D0-L3-ID12", "N1", "CPU5"...

import type { AggrCpuId } from './aggr-id.js';
import type { AggrLevel } from './levels.js';

export function aggrLabel(id: AggrCpuId, level: AggrLevel): string {
  switch (level) {
    case 'core': return `S${id.socket}-D${id.die}-C${id.core}`;
    case 'cache': return `S${id.socket}-D${id.die}-L${id.cacheLevel}-ID${id.cache}`;
    case 'cluster': return `S${id.socket}-D${id.die}-CLS${id.cluster}`;
    case 'die': return `S${id.socket}-D${id.die}`;
    case 'socket': return `S${id.socket}`;
    case 'node': return `N${id.node}`;
    case 'cpu': return id.cpu > -1 ? `CPU${id.cpu}` : '';
    case 'global': return '';
  }
}
