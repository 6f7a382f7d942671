import { adminRoute } from '@/lib/admin';

/** GET /api/admin/metrics/health: each dependency's status and latency; 503 when a critical one is down. */
export const GET = adminRoute('health');
export const dynamic = 'force-dynamic';
