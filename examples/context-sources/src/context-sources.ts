import type { ContextSource } from '@neptune/context';
import { agentsSource } from './agents-source';
import { calendarSource } from './calendar-source';
import { conversationsSource } from './conversations-source';
import { crmSearchSource } from './crm-search-source';
import { crmSource } from './crm-source';
import { financeSource } from './finance-source';
import { marketingSource } from './marketing-source';
import { scheduleSearchSource } from './schedule-search-source';
import type { SourceDependencies } from './source-dependencies';
import { tasksSource } from './tasks-source';

/** Every example source: the kinds the optimization plan names, and two query-dependent searches: contacts and deals, the user's tasks and events. */
export function createContextSources(dependencies: SourceDependencies): ContextSource[] {
  return [
    crmSource(dependencies),
    calendarSource(dependencies),
    tasksSource(dependencies),
    agentsSource(dependencies),
    marketingSource(dependencies),
    financeSource(dependencies),
    conversationsSource(dependencies),
    crmSearchSource(dependencies),
    scheduleSearchSource(dependencies),
  ];
}
