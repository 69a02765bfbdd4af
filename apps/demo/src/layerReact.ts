import { startLayerReactApp, type LayerReactApp, type LayerReactAppOptions } from '@fintoken/layer-react';
import type { Sandbox } from '@fintoken/sandbox';

/**
 * Starts the React sample (apps/layer-react: Layer's own LayerProvider fed by useBusinessToken)
 * next to the demo, on the demo's embedded sandbox when there is one. It listens on the demo's
 * port + 1 (3001 by default), or on a free port when that one is taken or the demo's is 0.
 */
export async function startLayerReactAlongside(
  port: number,
  host: string,
  sandbox: Sandbox | undefined,
  extra: Pick<LayerReactAppOptions, 'demoUrl' | 'onEvent'> = {},
): Promise<LayerReactApp> {
  const options = sandbox === undefined ? { host, ...extra } : { host, sandbox, ...extra };
  if (port === 0) return startLayerReactApp({ ...options, port: 0 });
  try {
    return await startLayerReactApp({ ...options, port: port + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startLayerReactApp({ ...options, port: 0 });
  }
}
