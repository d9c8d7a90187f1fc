// UI strings for several jurisdictions (country names, per-host dates, private bodies, leaked
// lists, entries removed on a date), in en, it, fr: merged into the locales by scripts/locales.mjs.
const ph = (...names) => Object.fromEntries(names.map((n, i) => [n, { content: `$${i + 1}` }]));

export const jurisdictionStrings = {
  jurisdiction_DE: ['Germany', 'Germania', 'Allemagne'],
  jurisdiction_CZ: ['Czechia', 'Cechia', 'Tchéquie'],
  jurisdiction_CH: ['Switzerland', 'Svizzera', 'Suisse'],
  authoritiesOf_CZ: ['Czech authorities', 'Le autorità ceche', 'Les autorités tchèques'],
  authoritiesOf_CH: ['Swiss authorities', 'Le autorità svizzere', 'Les autorités suisses'],
  listingDate_order_issued: ['Blocking order issued on $DATE$', 'Ordine di blocco emesso il $DATE$', 'Ordre de blocage émis le $DATE$'],
  listingDate_published: ['Published on the list on $DATE$', 'Pubblicato nella lista il $DATE$', 'Publié sur la liste le $DATE$'],
  listingDate_blocked_from: ['Blocked on $DATE$ (the list’s date)', 'Bloccato il $DATE$ (data della lista)', 'Bloqué le $DATE$ (date de la liste)'],
  leakedSuffix: ['(leaked list)', '(lista trapelata)', '(liste divulguée)'],
  statusRemovedOn: [
    'Removed from the list on $DATE$, so Ordinanza does not block it for this order.',
    'Rimosso dalla lista il $DATE$, quindi Ordinanza non lo blocca per questo ordine.',
    'Retiré de la liste le $DATE$ : Ordinanza ne le bloque donc pas pour cet ordre.',
  ],
  fieldBody: ['Body', 'Organismo', 'Organisme'],
  fieldBlockedBy: ['Blocked by', 'Bloccato da', 'Bloqué par'],
  privateBodyNote: [
    'A private body, not a court or a public authority.',
    'Un organismo privato, non un giudice né un’autorità pubblica.',
    'Un organisme privé, ni un tribunal ni une autorité publique.',
  ],
  act_register_private: ['Listing in the body’s list', 'Iscrizione nella lista dell’organismo', 'Inscription sur la liste de l’organisme'],
  leakedNote: [
    'This list is a leaked copy: the body does not publish it.',
    'Questa lista è una copia trapelata: l’organismo non la pubblica.',
    'Cette liste est une copie divulguée : l’organisme ne la publie pas.',
  ],
  leadPrivateBody: [
    '$HOST$ is on the list of $BODY$, a private body (not a court or a public authority); the Internet providers taking part block it.',
    '$HOST$ è nella lista di $BODY$, un organismo privato (non un giudice né un’autorità pubblica); i fornitori di accesso aderenti lo bloccano.',
    '$HOST$ figure sur la liste de $BODY$, un organisme privé (ni un tribunal ni une autorité publique) ; les fournisseurs d’accès participants le bloquent.',
  ],
  jurisdictionAuthorities: ['Authority: $NAMES$', 'Autorità: $NAMES$', 'Autorité : $NAMES$'],
  jurisdictionBodies: ['List of: $NAMES$', 'Lista di: $NAMES$', 'Liste de : $NAMES$'],
};

export const jurisdictionPlaceholders = {
  listingDate_order_issued: ph('date'),
  listingDate_published: ph('date'),
  listingDate_blocked_from: ph('date'),
  statusRemovedOn: ph('date'),
  leadPrivateBody: ph('host', 'body'),
  jurisdictionAuthorities: ph('names'),
  jurisdictionBodies: ph('names'),
};
