import { login } from '@/lib/admin';

/** GET /admin/login: the sign-in form; POST checks NEPTUNE_METRICS_TOKEN and sets the session cookie. */
export const GET = login.GET;
export const POST = login.POST;
export const dynamic = 'force-dynamic';
