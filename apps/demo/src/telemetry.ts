import type { EventListener } from '@fintoken/core';
import { createOtelInstrumentation } from '@fintoken/otel';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import express, { type Router } from 'express';

/** The clients' OpenTelemetry metrics, served for Prometheus on the demo's own port. */
export interface DemoTelemetry {
  onEvent: EventListener;
  /** `GET /metrics`: the Prometheus text format. */
  routes(): Router;
  shutdown(): Promise<void>;
}

export function createDemoTelemetry(): DemoTelemetry {
  // No second port: the exporter's handler answers on the demo server itself.
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const otel = createOtelInstrumentation({ meterProvider });
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
