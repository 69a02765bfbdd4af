import type { BenchSandbox } from '../sandbox/types.js';
import type { PeerConfig } from '../peers/types.js';

/** A Markdown table: header cells and rows of already formatted cells. */
export interface Table {
  headers: string[];
  rows: string[][];
}

/** A target from the issue, checked against the measurement. */
export interface Check {
  name: string;
  pass: boolean;
  detail: string;
}

/** What every scenario hands the report: prose, tables, verdict, and its raw numbers. */
export interface ScenarioReport {
  id: string;
  title: string;
  /** What is measured and what each row means (Markdown paragraphs). */
  what: string[];
  tables: Table[];
  /** Plain-language verdict, including where fintoken loses. */
  verdict: string[];
  /** The verdict lines that say where fintoken loses, also listed at the top of RESULTS.md. */
  losses: string[];
  checks: Check[];
  /** Machine-readable numbers for results.json. */
  data: unknown;
  durationMs?: number;
}

export interface ScenarioContext {
  /** The sandbox with default token lifetimes. */
  sandbox: BenchSandbox;
  quick: boolean;
  log: (line: string) => void;
}

export function peerConfigOf(sandbox: BenchSandbox): PeerConfig {
  return { tokenUrl: sandbox.tokenUrl, apiUrl: sandbox.layer1ApiUrl, ...sandbox.credentials };
}
