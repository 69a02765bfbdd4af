import { layerTokenRoute } from '../../../../lib/fintoken';

// The same route on the edge runtime: @fintoken/core uses the global fetch there, no Node built-ins.
export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const POST = layerTokenRoute;
export const GET = layerTokenRoute;
