import { defineContextSource } from '@neptune/context';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { campaigns } from './schema';
import { dollars, isoDay, type SourceDependencies } from './source-dependencies';

const campaignRecord = z.object({
  id: z.number(),
  name: z.string(),
  channel: z.string(),
  status: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
  budgetCents: z.number(),
  leadsGenerated: z.number(),
  updatedAt: z.date(),
});

/** Active and scheduled campaigns (kind `marketing`, 10 minutes), earliest start first. */
export function marketingSource({ db, instrumentQuery }: SourceDependencies) {
  return defineContextSource({
    kind: 'marketing',
    ttlMs: 10 * 60_000,
    graceMs: 10 * 60_000,
    limit: 10,
    schema: campaignRecord,
    load: (scope, { limit }) =>
      instrumentQuery(
        'marketing.campaigns',
        db
          .select({
            id: campaigns.id,
            name: campaigns.name,
            channel: campaigns.channel,
            status: campaigns.status,
            startsAt: campaigns.startsAt,
            endsAt: campaigns.endsAt,
            budgetCents: campaigns.budgetCents,
            leadsGenerated: campaigns.leadsGenerated,
            updatedAt: campaigns.updatedAt,
          })
          .from(campaigns)
          .where(
            and(
              eq(campaigns.workspaceId, scope.workspaceId),
              inArray(campaigns.status, ['active', 'scheduled']),
            ),
          )
          .orderBy(asc(campaigns.startsAt))
          .limit(limit),
        { scope },
      ),
    toItem: (campaign) => ({
      id: `campaign-${campaign.id}`,
      type: 'campaign',
      title: campaign.name,
      summary: `${campaign.name} (${campaign.channel}, ${campaign.status}): ${campaign.leadsGenerated} leads`,
      detail: `${campaign.channel} campaign, ${campaign.status}, ${isoDay(campaign.startsAt)} to ${isoDay(campaign.endsAt)}, budget ${dollars(campaign.budgetCents)}, ${campaign.leadsGenerated} leads so far.`,
      timestamp: campaign.updatedAt,
    }),
  });
}
