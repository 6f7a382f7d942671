import { adminRoute } from '@/lib/admin';

/** GET /api/admin/metrics/prometheus?range=hour: the same figures in Prometheus text format. */
export const GET = adminRoute('prometheus');
export const dynamic = 'force-dynamic';
