import { adminRoute } from '@/lib/admin';

/** GET /api/admin/metrics/neptune?range=hour|day|week: figures, series, targets against actuals, errors. */
export const GET = adminRoute('neptune');
export const dynamic = 'force-dynamic';
