import { layerTokenRoute } from '../../../lib/fintoken';

// POST /api/layer-token -> { access_token, token_type, expires_in, business_id }, no-store.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = layerTokenRoute;
export const GET = layerTokenRoute;
