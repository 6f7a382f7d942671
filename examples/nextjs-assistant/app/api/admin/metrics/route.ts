import { adminRoute } from '@/lib/admin';

/** GET /api/admin/metrics: the last hour and the last day side by side, targets and health. */
export const GET = adminRoute('summary');
export const dynamic = 'force-dynamic';
