import { whoamiRoute } from '../../../../lib/fintoken';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export const GET = whoamiRoute;
