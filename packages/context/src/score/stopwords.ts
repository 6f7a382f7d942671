/**
 * English function words and assistant filler ("please", "show", "tell"): they match almost every item,
 * so they would only add noise to the query-term part of the score.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below
  between both but by can could did do does doing done down during each few for from further get got had
  has have having he her here hers herself him himself his how i if in into is it its itself just know
  let like me more most my myself need no nor not now of off on once only or other our ours ourselves out
  over own please same she should show so some such tell than that the their theirs them themselves then
  there these they this those through to too under until up us very want was we were what when where
  which while who whom why will with would you your yours yourself yourselves anything something
  everything give make see look find also may might must shall s t don doesn didn isn aren wasn weren won
  ll re ve d m o y`
    .split(/\s+/)
    .filter((word) => word !== ''),
);
