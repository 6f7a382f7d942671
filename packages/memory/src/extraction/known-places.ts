/**
 * Countries, regions and large cities, so that "New York" is a place rather than a person and "to
 * Lisbon" is recognised without a model. A short general list; anything missing falls back to the
 * "in/to/from <Capitalised>" rule.
 */
const PLACES = `
Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bahrain Bangladesh Belarus Belgium
Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada Chile China Colombia Croatia Cuba Cyprus Czechia
Denmark Ecuador Egypt England Estonia Ethiopia Finland France Georgia Germany Ghana Greece Guatemala Hungary
Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Korea Kuwait
Latvia Lebanon Lithuania Luxembourg Malaysia Malta Mexico Moldova Mongolia Morocco Nepal Netherlands Nigeria
Norway Oman Pakistan Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Scotland
Senegal Serbia Singapore Slovakia Slovenia Spain Sweden Switzerland Syria Taiwan Tanzania Thailand Tunisia
Turkey Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Wales Yemen Zambia Zimbabwe Europe Asia Africa
America Oceania EMEA APAC LATAM
Amsterdam Athens Atlanta Auckland Austin Baltimore Bangalore Bangkok Barcelona Beijing Beirut Belfast
Belgrade Berlin Bogota Boston Brisbane Brussels Bucharest Budapest Cairo Calgary Cape-Town Casablanca
Charlotte Chennai Chicago Copenhagen Dallas Delhi Denver Detroit Doha Dubai Dublin Edinburgh Frankfurt
Geneva Glasgow Gothenburg Hamburg Helsinki Hong-Kong Honolulu Houston Istanbul Jakarta Jerusalem Johannesburg
Karachi Kyiv Kiev Krakow Lagos Lahore Las-Vegas Leeds Lima Lisbon Liverpool London Los-Angeles Lyon Madrid
Manchester Manila Marseille Melbourne Miami Milan Minneapolis Montreal Moscow Mumbai Munich Nairobi Naples
Nashville New-Delhi New-York Nice Osaka Oslo Ottawa Paris Perth Philadelphia Phoenix Pittsburgh Portland
Porto Prague Quebec Reykjavik Riga Rio-de-Janeiro Riyadh Rome Rotterdam San-Diego San-Francisco San-Jose
Santiago Sao-Paulo Seattle Seoul Seville Shanghai Shenzhen Stockholm Stuttgart Sydney Taipei Tallinn
Tel-Aviv Tokyo Toronto Tunis Turin Utrecht Valencia Vancouver Vienna Vilnius Warsaw Washington Wellington
Zagreb Zurich
`;

export const KNOWN_PLACES: ReadonlySet<string> = new Set(
  PLACES.split(/\s+/)
    .filter((place) => place !== '')
    .map((place) => place.replace(/-/g, ' ')),
);
