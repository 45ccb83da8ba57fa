import { describeOrder } from '../core/forecasting/index.js';
import type { SarimaxOrder } from '../core/forecasting/types.js';
import type { ModelMetadata, ModelVersion } from '../core/registry/types.js';

/** What the tables show of a version, read from its metadata (the train function writes these). */
export interface VersionSummary {
  version: string;
  registeredAt: string;
  order: string | undefined;
  aic: number | undefined;
  holdoutMae: number | undefined;
  champion: boolean;
}

export function summarizeVersion(model: ModelVersion, championVersion: string | undefined): VersionSummary {
  const { metadata } = model;
  return {
    version: model.version,
    registeredAt: metadata.registeredAt,
    order: orderOf(metadata, model.artifact),
    aic: finiteOrUndefined(metadata.metrics?.aic),
    holdoutMae: finiteOrUndefined(metadata.metrics?.holdoutMae),
    champion: model.version === championVersion,
  };
}

/** `parameters.order` as written by the train function; else the artifact's own order. */
function orderOf(metadata: ModelMetadata, artifact: unknown): string | undefined {
  const written = metadata.parameters?.order;
  if (typeof written === 'string') return written;
  const order = (artifact as { order?: SarimaxOrder } | null)?.order;
  return order && typeof order.p === 'number' ? describeOrder(order) : undefined;
}

function finiteOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
