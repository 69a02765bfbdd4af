import type { EventListener } from '@fintoken/core';
import { createOtelInstrumentation } from '@fintoken/otel';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import express, { type Router } from 'express';
import { withZeroSeries } from './zeroSeries.js';

/** The clients' OpenTelemetry metrics, served for Prometheus on the demo's own port. */
export interface DemoTelemetry {
  onEvent: EventListener;
  /** `GET /metrics`: the Prometheus text format. */
  routes(): Router;
  shutdown(): Promise<void>;
}

/** `providers`: whose series exist (at zero) from the first scrape. */
export function createDemoTelemetry(providers: readonly string[]): DemoTelemetry {
  // No second port: the exporter's handler answers on the demo server itself.
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const zero = withZeroSeries(meterProvider, providers);
  const otel = createOtelInstrumentation({ meterProvider: zero.meterProvider });
  zero.prime(otel.onEvent);
  return {
    onEvent: otel.onEvent,
    routes() {
      const router = express.Router();
      router.get('/metrics', (req, res) => exporter.getMetricsRequestHandler(req, res));
      return router;
    },
    shutdown: () => meterProvider.shutdown(),
  };
}
