import type { ExtractedFact } from '@neptune/core';
import { nounPhraseSubject, statementSubject } from './fact-subject';
import type { EntitySpan } from './find-entities';
import { splitSentences } from './split-sentences';

/** Openers that carry no information: "Actually,", "Update:", "Good news:". */
const DISCOURSE_OPENER =
  /^(?:hi|hello|hey|ok|okay|so|also|and|but|actually|anyway|btw|by the way|quick note[^:]*|update|correction|change of plan|good news|bad news|fyi|just so you know|one more thing)\s*[,:-]?\s+/i;
const QUESTION_START =
  /^(?:can|could|would|will|do|does|did|is|are|what|how|when|who|why|where|which|should|shall|may)\b/i;
const DETERMINER = '(?:our|my|the|their|his|her|its|your)';
const NOUN_PHRASE = "((?:[\\w'-]+\\s+){0,4}?[\\w'-]+)";
const COPULA =
  '(?:is|are|was|were|will be|has been|have been|remains?|runs|starts|begins|ends|closes|came in at|comes to|moved to|has moved to|was moved to|changed to|should be routed to|goes to|is now|are now)';
const COPULA_STATEMENT = new RegExp(`\\b${DETERMINER}\\s+${NOUN_PHRASE},?\\s+${COPULA}\\b`, 'i');
const BARE_COPULA_STATEMENT = new RegExp(`^${NOUN_PHRASE}\\s+${COPULA}\\b`, 'i');
const CHANGE_STATEMENT = new RegExp(
  `\\b(?:push|mov|chang|shift|postpon|reschedul|delay|bump|extend|increas|reduc|rais|lower|cut|updat|set)[a-z]*\\s+${DETERMINER}\\s+${NOUN_PHRASE}\\s+(?:to|by|from|at)\\b`,
  'i',
);
const OWNER_STATEMENT =
  /^(?!(?:We|I|They|She|He|It|You|Our|Their|My)\b)(?:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})(?:\s+from\s+[\w&-]+)?\s+(?:will\s+|is\s+)?(?:own|owns|lead|leads|leading|run|runs|running|handle|handles|handling|manage|manages|managing|present|presents|presenting)\s+(.+)$/;
const ACTOR_STATEMENT =
  /\b(we|i|they|she|he)(?:'re|'ll|'d|'ve|\s+(?:are|will|would|can|could|must|should|currently|now|only|just|also|still|already|really|do|don't))*\s+(decided to|agreed to|chose to|decided on|decided|agreed|chose|prefer|would rather|'d rather|rather|need to|needs to|need|needs|require|requires|must|have to|has to|want to|wants to|want|wants|expect|expects|have|has|use|uses|quoted|offered|closed|hire|fly|flies|keep|skip|sign|signed|launch|run|running|host|hosting|hold|holding|moving|onboarding|exploring|negotiating|planning)\b\s*(.*)$/i;
const OBJECT_BOUNDARY = new Set(
  'in on at by for with to from until this next because so if when and or but per within before after during than via'.split(
    ' ',
  ),
);
const OBJECT_FILLER = new Set(
  'a an the our my their his her its your about around only some more new small big'.split(' '),
);

/** Verbs whose object is the thing itself: "we're hosting a summit" is about the summit. */
const OBJECT_IS_SUBJECT =
  /^(?:run|running|host|hosting|hold|holding|planning|launch|onboarding|exploring|negotiating|moving|offered|quoted|have|has|expect|expects|closed|use|uses)$/i;
/** Clauses that only propose what to talk about: "let's review the pipeline". */
const PROPOSAL = /^let'?s\s+(?!go with|move|use|keep|skip|switch|change|push|book|set|hire|cut)/i;

function verbClass(verb: string): string {
  const lower = verb.toLowerCase().replace(/^'d /, '');
  if (/^(?:prefer|would rather|rather)$/.test(lower)) return 'preference';
  if (/^(?:need|needs|need to|needs to|require|requires|must|have to|has to)$/.test(lower)) return 'need';
  if (/^(?:decided|decided to|decided on|agreed|agreed to|chose|chose to)$/.test(lower)) return 'decision';
  return lower.replace(/ to$/, '').replace(/s$/, '');
}

/** The head word of a verb's object: "4 support agents this year" → "agents". */
function objectHead(object: string): string | undefined {
  const words: string[] = [];
  for (const raw of object.toLowerCase().split(/\s+/)) {
    const word = raw.replace(/[,.;:!?]+$/, '');
    if (OBJECT_BOUNDARY.has(word) || word === '') break;
    if (!OBJECT_FILLER.has(word)) words.push(word);
    if (raw !== word) break;
  }
  const head = words.filter((word) => /\p{L}/u.test(word)).at(-1);
  return head;
}

function cleanClause(text: string): string {
  let cleaned = text.trim();
  for (let previous = ''; previous !== cleaned; ) {
    previous = cleaned;
    cleaned = cleaned.replace(DISCOURSE_OPENER, '');
  }
  return cleaned.replace(/[.!;]+$/, '').trim();
}

function isQuestionOrPleasantry(text: string): boolean {
  if (text.endsWith('?') || QUESTION_START.test(text)) return true;
  return text.split(/\s+/).length < 3;
}

/** A subject for one clause, or undefined when it states nothing memory should keep. */
function subjectOf(
  clause: string,
  entities: readonly EntitySpan[],
): { subject: string; confidence: number } | undefined {
  const appositive = entities
    .filter((entity) => entity.type === 'person')
    .map((person) =>
      new RegExp(
        `\\b${DETERMINER}\\s+${NOUN_PHRASE},?\\s+${person.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`,
        'i',
      ).exec(clause),
    )
    .find((match) => match !== null);
  const nounPhrase =
    COPULA_STATEMENT.exec(clause)?.[1] ??
    CHANGE_STATEMENT.exec(clause)?.[1] ??
    appositive?.[1] ??
    (OWNER_STATEMENT.test(clause) ? undefined : BARE_COPULA_STATEMENT.exec(clause)?.[1]);
  if (nounPhrase !== undefined) {
    const subject = nounPhraseSubject(nounPhrase);
    if (subject !== '' && !/^(?:it|this|that|they|he|she|there|which|what)$/.test(subject)) {
      return { subject, confidence: 0.8 };
    }
  }
  const owner = OWNER_STATEMENT.exec(clause);
  if (owner) {
    const head = nounPhraseSubject(owner[1]!.replace(/[,.].*$/, ''));
    if (head !== '' && head !== 'it') return { subject: `owner:${head}`, confidence: 0.75 };
  }
  const actor = ACTOR_STATEMENT.exec(clause);
  if (actor) {
    const verb = actor[2]!;
    let object = actor[3] ?? '';
    let verbName = verbClass(verb);
    // "want to hire 4 agents" and "can hire 3 agents" are both about hiring agents.
    const innerVerb = /\bto$/i.test(verb) ? /^([a-z]+)\s+(.*)$/i.exec(object) : null;
    if (innerVerb && !OBJECT_FILLER.has(innerVerb[1]!.toLowerCase())) {
      verbName = innerVerb[1]!.toLowerCase();
      object = innerVerb[2]!;
    }
    const head = objectHead(object);
    if (head !== undefined && OBJECT_IS_SUBJECT.test(verbName)) return { subject: head, confidence: 0.7 };
    return { subject: head === undefined ? verbName : `${verbName}:${head}`, confidence: 0.7 };
  }
  // A statement that carries a concrete value (an amount, a date, a contact, a name) is worth keeping.
  if (entities.length > 0 && /\b(?:is|are|was|will|be|has|have|had|\w+ed|\w+s)\b/i.test(clause)) {
    return { subject: statementSubject(clause), confidence: 0.5 };
  }
  return undefined;
}

/** Splits "Our budget is $40k and the launch date is May 1" into its two statements. */
function splitClauses(sentence: string): string[] {
  return sentence
    .split(
      /,?\s+and\s+(?=(?:the|our|my|their|his|her|i|we)\s)|,\s+(?=(?:the|our|my|their)\s+[\w'-]+(?:\s+[\w'-]+){0,3}\s+(?:is|are|was|will)\b)/i,
    )
    .map(cleanClause)
    .filter((clause) => clause !== '');
}

/**
 * Facts in one message by patterns: "<our/the> X is Y", "<Name>, our X, …", "moved the X to Y",
 * "<Name> owns X", "we need/decided/prefer/have …", and any other statement that carries a concrete
 * value. `entitiesOf(text)` gives the entities of a clause, for the last two.
 */
export function findFacts(
  text: string,
  entitiesOf: (text: string) => readonly EntitySpan[],
): ExtractedFact[] {
  const facts: ExtractedFact[] = [];
  for (const sentence of splitSentences(text)) {
    if (isQuestionOrPleasantry(sentence.trim())) continue;
    for (const clause of splitClauses(sentence)) {
      if (isQuestionOrPleasantry(clause) || PROPOSAL.test(clause)) continue;
      const found = subjectOf(clause, entitiesOf(clause));
      if (found) facts.push({ text: clause, subject: found.subject, confidence: found.confidence });
    }
  }
  return facts;
}
