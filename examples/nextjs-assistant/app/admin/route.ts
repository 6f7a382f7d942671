import { adminRoute } from '@/lib/admin';

/** GET /admin?range=hour|day|week: the Mission Control dashboard (HTML; `&format=json` for its data). */
export const GET = adminRoute('dashboard');
export const dynamic = 'force-dynamic';
