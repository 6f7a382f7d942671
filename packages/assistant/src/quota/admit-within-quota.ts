import { QuotaExceededError, type Scope } from '@neptune/core';
import { type GuardContext, guarded } from '../degradation';
import type { QuotaAdmission, WorkspaceQuota } from './workspace-quota';

/**
 * Admits a request under the workspace's quota. Over quota: the `QuotaExceededError` is thrown to the
 * caller. Quota store down or slow: the request goes on unchecked (fail-open, the library's rule that a
 * failing store costs part of the answer, never the request), reported as degraded `quota`.
 */
export async function admitWithinQuota(
  quota: WorkspaceQuota,
  timeoutMs: number,
  guard: GuardContext,
  scope: Scope,
): Promise<QuotaAdmission | undefined> {
  const checked = await guarded('quota', timeoutMs, guard, async () => {
    try {
      return { admission: await quota.admit(scope) };
    } catch (error) {
      // A refusal is the answer, not a failure of the check: carried past `guarded`, then thrown.
      if (QuotaExceededError.isInstance(error)) return { refused: error };
      throw error;
    }
  });
  if (checked && 'refused' in checked) throw checked.refused;
  return checked?.admission;
}
