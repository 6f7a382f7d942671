import type { ContextItemInput } from '@neptune/context';
import { z } from 'zod';
import { calendarEvents, contacts, deals, tasks } from './schema';
import { dollars, isoDay } from './source-dependencies';

/**
 * The records several sources read (a deal from the CRM summary and from a search), with one column
 * list, one schema and one mapping each, so that the same record always becomes the same item (and
 * assembly shows it once).
 */

export const dealColumns = {
  id: deals.id,
  title: deals.title,
  stage: deals.stage,
  valueCents: deals.valueCents,
  closeDate: deals.closeDate,
  updatedAt: deals.updatedAt,
  notes: deals.notes,
};
export const dealRecord = z.object({
  id: z.number(),
  title: z.string(),
  stage: z.string(),
  valueCents: z.number(),
  closeDate: z.date(),
  updatedAt: z.date(),
  notes: z.string(),
});
export const OPEN_DEAL_STAGES = ['prospect', 'proposal', 'negotiation'];

export function dealItem(deal: z.output<typeof dealRecord>): ContextItemInput {
  const open = OPEN_DEAL_STAGES.includes(deal.stage);
  return {
    id: `deal-${deal.id}`,
    type: 'deal',
    title: deal.title,
    summary: `${deal.title}: ${deal.stage}, ${dollars(deal.valueCents)}`,
    detail: `Stage ${deal.stage}, worth ${dollars(deal.valueCents)}, ${open ? 'expected to close' : 'closed'} ${isoDay(deal.closeDate)}. ${deal.notes}`,
    timestamp: deal.updatedAt,
    // An open deal past its expected close date is overdue; a closed one has no deadline.
    ...(open ? { dueAt: deal.closeDate } : {}),
  };
}

export const contactColumns = {
  id: contacts.id,
  name: contacts.name,
  company: contacts.company,
  email: contacts.email,
  status: contacts.status,
  leadScore: contacts.leadScore,
  lastContactedAt: contacts.lastContactedAt,
  notes: contacts.notes,
};
export const contactRecord = z.object({
  id: z.number(),
  name: z.string(),
  company: z.string(),
  email: z.string(),
  status: z.string(),
  leadScore: z.number(),
  lastContactedAt: z.date().nullable(),
  notes: z.string(),
});
/** The plan's hot lead: a lead this warm is worth the model's attention whatever the query. */
export const HOT_LEAD_SCORE = 80;

export function contactItem(contact: z.output<typeof contactRecord>): ContextItemInput {
  const lead = contact.status === 'lead';
  return {
    id: `contact-${contact.id}`,
    type: lead ? 'lead' : 'contact',
    title: `${contact.name} (${contact.company})`,
    summary: `${contact.name}, ${contact.status} at ${contact.company}${lead ? `, score ${contact.leadScore}` : ''}`,
    detail: [
      `${contact.status} at ${contact.company}, ${contact.email}${lead ? `, lead score ${contact.leadScore}` : ''}.`,
      contact.lastContactedAt ? `Last contacted ${isoDay(contact.lastContactedAt)}.` : 'Never contacted.',
      contact.notes,
    ].join(' '),
    ...(contact.lastContactedAt === null ? {} : { timestamp: contact.lastContactedAt }),
    signals: { hotLead: lead && contact.leadScore >= HOT_LEAD_SCORE },
  };
}

export const taskColumns = {
  id: tasks.id,
  title: tasks.title,
  description: tasks.description,
  priority: tasks.priority,
  dueAt: tasks.dueAt,
  updatedAt: tasks.updatedAt,
};
export const taskRecord = z.object({
  id: z.number(),
  title: z.string(),
  description: z.string(),
  priority: z.string(),
  dueAt: z.date().nullable(),
  updatedAt: z.date(),
});

export function taskItem(task: z.output<typeof taskRecord>): ContextItemInput {
  return {
    id: `task-${task.id}`,
    type: 'task',
    title: task.title,
    summary: `${task.title} (${task.priority} priority)`,
    detail: task.description,
    timestamp: task.updatedAt,
    dueAt: task.dueAt,
  };
}

export const eventColumns = {
  id: calendarEvents.id,
  title: calendarEvents.title,
  description: calendarEvents.description,
  location: calendarEvents.location,
  startsAt: calendarEvents.startsAt,
  endsAt: calendarEvents.endsAt,
};
export const eventRecord = z.object({
  id: z.number(),
  title: z.string(),
  description: z.string(),
  location: z.string(),
  startsAt: z.date(),
  endsAt: z.date(),
});

export function eventItem(event: z.output<typeof eventRecord>): ContextItemInput {
  return {
    id: `event-${event.id}`,
    type: 'event',
    title: event.title,
    summary: `${event.title} (${event.location})`,
    detail: `${event.description} Location: ${event.location}. Ends ${event.endsAt.toISOString().slice(11, 16)} UTC.`,
    startsAt: event.startsAt,
  };
}
