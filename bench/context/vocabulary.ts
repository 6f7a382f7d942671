import type { Random } from './random';

/** Word lists for generated text: ordinary business English, so token counts look like a real app's. */

export const FIRST_NAMES =
  `Jane John Maria Wei Aisha Carlos Emma Liam Olivia Noah Sofia Lucas Mia Ethan Ava Mateo Zoe Ivan
Priya Kenji Fatima Omar Lena Hugo Nora Felix Chloe Diego Sara Amir Elena Tomas Yuki Leila Marco Anna Pavel Ines Ravi`.split(
    /\s+/,
  );

export const LAST_NAMES =
  `Doe Smith Garcia Chen Khan Silva Brown Wilson Martin Rossi Novak Tanaka Haddad Costa Meyer Dubois
Jensen Kowalski Murphy Schmidt Petrov Moreau Santos Ivanova Okafor Lindgren Fischer Romano Nakamura Varga`.split(
    /\s+/,
  );

const COMPANY_PREFIXES =
  `Acme Globex Initech Umbrella Stark Wayne Wonka Tyrell Cyberdyne Soylent Hooli Vandelay Dunder
Sterling Oscorp Nakatomi Virtucon Monarch Aperture Oceanic Rekall Weyland Yoyodyne Gekko Wernham Duff Kramerica
Contoso Fabrikam Northwind Tailspin Litware Proseware Adatum Fourth Lucerne Margie Trey Woodgrove Alpine Blue
Coho Datum Graphic Humongous Lamna Liberty Nod Relecloud Southridge Wide Wingtip Zava Quantum Vertex Nimbus`.split(
    /\s+/,
  );
const COMPANY_SUFFIXES =
  'Labs Corp Group Systems Foods Health Capital Logistics Media Energy Robotics Analytics'.split(' ');

const WORDS = `account agreement analysis approval budget campaign churn client contract conversion customer
dashboard deadline delivery demo discount draft email estimate feedback forecast growth handoff integration
invoice kickoff launch lead license margin meeting metrics migration milestone negotiation onboarding order
outreach partner payment pilot pipeline plan pricing priority proposal prospect quarter quote referral
renewal report request review revenue roadmap rollout schedule security segment signature sprint stakeholder
strategy subscription summary support survey target team timeline training trial update upgrade usage
vendor webinar workflow workshop agreed asked blocked confirmed delayed expects mentioned needs prefers
requested sent shared signed waiting wants legal finance marketing product sales engineering procurement
next week monday friday morning afternoon early late soon again still already carefully quickly before
after about with without around because although however meanwhile`.split(/\s+/);

export const DEAL_KINDS = ['renewal', 'expansion', 'pilot', 'onboarding', 'upgrade', 'license'];
export const THINGS = [
  'quote',
  'proposal',
  'contract',
  'forecast',
  'roadmap',
  'invoice',
  'budget',
  'report',
  'deck',
];
export const CHANNELS = ['email', 'social', 'search', 'events', 'webinar', 'partner'];

/** `count` distinct company names for one workspace. */
export function companyNames(random: Random, count: number): string[] {
  const names = new Set<string>();
  while (names.size < count) names.add(`${random.pick(COMPANY_PREFIXES)} ${random.pick(COMPANY_SUFFIXES)}`);
  return [...names];
}

export function sentence(random: Random, minWords: number, maxWords: number): string {
  const count = random.integer(minWords, maxWords);
  const words = Array.from({ length: count }, () => random.pick(WORDS));
  return `${words[0]!.charAt(0).toUpperCase()}${words.join(' ').slice(1)}.`;
}
