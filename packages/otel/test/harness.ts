import { afterEach, beforeEach } from 'vitest';
import type { FintokenEvent, Lock, Token, TokenStore } from '@fintoken/core';
import { createLayerClient, type LayerClient, type LayerClientOptions } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes } from '@opentelemetry/api';
import { createOtelInstrumentation, type OtelInstrumentationOptions } from '../src/index.js';

/** One exported metric data point, flattened: name, attributes and value. */
export interface Point {
  name: string;
  attributes: Attributes;
  value: DataPoint<unknown>['value'];
}

/** The SDK's in-memory exporters behind a fresh instrumentation, and a tap on the raw events. */
export interface Telemetry {
  onEvent: (event: FintokenEvent) => void;
  events: FintokenEvent[];
  points(): Promise<Point[]>;
  spans(): ReadableSpan[];
  tracerProvider: BasicTracerProvider;
  shutdown(): Promise<void>;
}

export function createTelemetry(options: Omit<OtelInstrumentationOptions, 'meterProvider' | 'tracerProvider'> = {}): Telemetry {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Exports only when asked (forceFlush): the interval is never reached in a test.
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const otel = createOtelInstrumentation({ ...options, meterProvider, tracerProvider });
  const events: FintokenEvent[] = [];
  return {
    events,
    onEvent: (event) => {
      events.push({ ...event });
      otel.onEvent(event);
    },
    async points() {
      await reader.forceFlush();
      const latest = metricExporter.getMetrics().at(-1);
      return (latest?.scopeMetrics ?? []).flatMap((scope) =>
        scope.metrics.flatMap((metric) =>
          (metric.dataPoints as Array<DataPoint<unknown>>).map((p) => ({ name: metric.descriptor.name, attributes: p.attributes, value: p.value })),
        ),
      );
    },
    spans: () => spanExporter.getFinishedSpans(),
    tracerProvider,
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

/** The value of the one point of `name` whose attributes include `attributes`, or undefined. */
export function valueOf(points: Point[], name: string, attributes: Attributes = {}): unknown {
  const matching = points.filter((p) => p.name === name && Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
  if (matching.length > 1) throw new Error(`${matching.length} points of ${name} match ${JSON.stringify(attributes)}`);
  return matching[0]?.value;
}

/** A Layer-only sandbox and clients pointed at it, with fast retries. */
export interface LayerHarness {
  sandbox: Sandbox;
  client(overrides?: Partial<LayerClientOptions>): LayerClient;
}

export async function startLayer(): Promise<LayerHarness> {
  const sandbox = await startSandbox({ providers: ['layer'] });
  const { clientId, clientSecret } = sandbox.credentials.layer;
  return {
    sandbox,
    client: (overrides = {}) =>
      createLayerClient({
        clientId,
        clientSecret,
        environment: 'sandbox',
        authUrl: sandbox.urls.layer.authUrl,
        apiUrl: sandbox.urls.layer.apiUrl,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        ...overrides,
      }),
  };
}

/**
 * A shared store with a distributed lock, in memory: what @fintoken/redis gives a fleet, for
 * two clients in one process standing in for two instances.
 */
export function lockingStore(): TokenStore {
  const tokens = new Map<string, Token>();
  const locks = new Set<string>();
  return {
    get: async (key) => tokens.get(key),
    set: async (key, token) => void tokens.set(key, token),
    delete: async (key) => void tokens.delete(key),
    lock: async (key): Promise<Lock | undefined> => {
      if (locks.has(key)) return undefined;
      locks.add(key);
      return { release: async () => void locks.delete(key) };
    },
  };
}

/** A shared store that is down: every call fails. */
export function failingStore(): TokenStore {
  const down = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' }));
  return { get: down, set: down, delete: down, lock: down };
}

/** A fresh sandbox and fresh telemetry for every test of the file. */
export function useLayerTelemetry(): { readonly h: LayerHarness; readonly t: Telemetry } {
  const current = {} as { h: LayerHarness; t: Telemetry };
  beforeEach(async () => {
    current.h = await startLayer();
    current.t = createTelemetry();
  });
  afterEach(async () => {
    await current.t.shutdown();
    await current.h.sandbox.close();
  });
  return current;
}
