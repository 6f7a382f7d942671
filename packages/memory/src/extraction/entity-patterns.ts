/** Regular expressions behind the offline entity extractor, kept together so they can be read as a set. */

const MONTH =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';
const WEEKDAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const DAY = '\\d{1,2}(?:st|nd|rd|th)?';
const TIME_ZONE = '(?:CET|CEST|GMT|UTC|BST|EST|EDT|PST|PDT|CST|CDT|MST|IST|JST|AEST|ET|PT|CT)';

export const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Seven to fifteen digits in groups, optionally with a country code or an area code in brackets. */
export const PHONE =
  /(?<![\w$€£¥.,-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,5}){1,4}(?![\w%$€£])/g;

export const AMOUNT = new RegExp(
  [
    '[$€£¥]\\s?\\d[\\d,]*(?:\\.\\d+)?(?:\\s?(?:k|K|m|M|bn|BN|million|billion|thousand)\\b)?',
    '\\b\\d[\\d,]*(?:\\.\\d+)?\\s?(?:USD|EUR|GBP|CHF|dollars|euros|pounds)\\b',
    '\\b\\d+(?:\\.\\d+)?\\s?%',
  ].join('|'),
  'g',
);

export const DATE = new RegExp(
  [
    `\\b${MONTH}\\s+${DAY}(?:,?\\s+\\d{4})?\\b`,
    `\\b${DAY}\\s+(?:of\\s+)?${MONTH}(?:,?\\s+\\d{4})?\\b`,
    `\\b(?:the\\s+)?(?:end|start|beginning|middle)\\s+of\\s+(?:${MONTH}|the\\s+(?:month|quarter|year))`,
    `\\b(?:early|mid|late)[- ]${MONTH}`,
    '\\b\\d{4}-\\d{2}-\\d{2}\\b',
    '\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b',
    '\\bQ[1-4](?:\\s+\\d{4})?\\b',
    '\\bFY\\s?\\d{2,4}\\b',
    `\\b(?:next|this|last)\\s+(?:week|month|quarter|year|summer|winter|spring|autumn|fall|weekend|${WEEKDAY})\\b`,
    '\\b(?:tomorrow|yesterday)\\b',
    `\\b\\d{1,2}(?::\\d{2})?\\s?(?:am|pm|AM|PM)(?:\\s?${TIME_ZONE})?\\b`,
    `\\b${WEEKDAY}\\b`,
    `(?<=\\b(?:in|until|by|since|from|before|after|through|till|of|during)\\s)${MONTH}(?:\\s+\\d{4})?\\b`,
    '\\b(?:Easter|Christmas|Thanksgiving|Black Friday|New Year)\\b',
  ].join('|'),
  'g',
);

/** Legal forms and industry words that end organisation names. */
export const ORGANIZATION_SUFFIX =
  /^(?:Inc\.?|Ltd\.?|LLC|LLP|GmbH|AG|SA|S\.A\.|SAS|BV|B\.V\.|NV|PLC|plc|Corp\.?|Corporation|Co\.|Company|Group|Holdings|Industries|Labs|Technologies|Systems|Solutions|Partners|Health|Bank|Airlines|Airways|Freight|Logistics|Robotics|Software|Media|Foundation|University|Capital|Ventures)$/;

/** A capitalised word, with apostrophes and hyphens (O'Brien, Jean-Luc) and an optional legal-form dot. */
export const CAPITALISED_RUN =
  /\b[A-Z][A-Za-z'&-]*[A-Za-z](?:\.(?=\s|$|,))?(?:\s+(?:[A-Z][A-Za-z'&-]*[A-Za-z]\.?|of|de|van|von|&))*/g;

/** Street addresses: a number, capitalised words, and a street type. */
export const ADDRESS =
  /\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Boulevard|Blvd\.|Lane|Way|Drive|Square|Place)\b/g;

/** Words that start a sentence or a title, or name things that are not people: never part of a name. */
export const NOT_A_NAME = new Set(
  `I I'm I'd I'll I've We We're We'll We've Our Ours Us You Your They Their Them He His She Her It Its This That These
   Those The A An And But Or So If Then Also Actually Anyway Hi Hello Hey Dear Thanks Thank Please Great Good Bad
   Sure Ok Okay Yes No Nice Noted Got Quick Update Correction Change Let Let's Happy Welcome Sounds Yeah Well Just
   Mostly Only Anything Everything Nothing Something Who What When Where Why How Which Can Could Would Should Will
   Do Does Did Is Are Was Were Have Has Had Keep Make Take Give Tell Ask Send Book Schedule Move Drafting Understood
   Updated Exciting Worth VP CEO CTO CFO COO CMO CPO DPO HR IT PR QA API SLA Head Director Manager Lead Team Product
   Time Eastern Western Central Pacific Mountain Standard Daylight Summer Winter Spring Autumn Fall Morning Evening
   Afternoon Night Today Tomorrow Yesterday Weekly Monthly Quarterly Annual Here There Export
   AI API CRM SDK UI UX URL ID KPI OKR ROI FAQ PDF CSV
   January February March April May June July August September October November December Monday Tuesday Wednesday
   Thursday Friday Saturday Sunday Easter Christmas`.split(/\s+/),
);

export const HONORIFIC = /\b(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2})/g;

/** Words that follow a software product's name: "a Salesforce licence", "the Gong recordings". */
export const PRODUCT_CONTEXT =
  /\b([A-Z][A-Za-z0-9]+)\s+(?:licen[cs]es?|subscriptions?|recordings?|integrations?|workspace|instance|dashboards?|plugin)\b/g;

/** Verbs that introduce software: "we use HubSpot", "moving to Salesforce". */
export const PRODUCT_AFTER_VERB =
  /\b(?:use|uses|using|used|moving to|move to|switch(?:ing)? to|migrat(?:e|ing) to|adopt(?:ing)?|subscribe to)\s+([A-Z][A-Za-z0-9]+(?:\s+[A-Z][A-Za-z0-9]+)?)/g;

/** Prepositions after which an unknown capitalised name is an organisation ("a guest from Maersk"). */
export const ORGANIZATION_AFTER = /\b(?:from|at|through|via|join(?:ed|ing)?|works? for)\s+(?:the\s+)?$/;
/** Prepositions after which an unknown single capitalised word is a place ("based in Lisbon"). */
export const PLACE_AFTER =
  /\b(?:in|based in|near|around|visit|visiting|fly to|flying to|travel to)\s+(?:the\s+)?$/;
/** Street, venue and landmark words that make a capitalised run a place. */
export const PLACE_WORD =
  /^(?:Hotel|Airport|Station|Street|Avenue|Road|Square|Park|Centre|Center|Hall|Arena|Plaza)$/;
