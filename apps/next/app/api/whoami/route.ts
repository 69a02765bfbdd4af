import { whoamiRoute } from '../../../lib/fintoken';

// GET /api/whoami: the server calls Layer with its client token.
export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = whoamiRoute;
