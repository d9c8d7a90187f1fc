// UI strings of the order explanation (lead, cards, data age), in en, it, fr: merged into the
// locales by scripts/locales.mjs. docs/explanations.md says where each line's facts come from.
const ph = (...names) => Object.fromEntries(names.map((n, i) => [n, { content: `$${i + 1}` }]));

export const explainStrings = {
  leadIsps: [
    '$AUTHORITIES$ ordered Internet providers to block access to $HOST$.',
    '$AUTHORITIES$ hanno ordinato ai fornitori di accesso a Internet di bloccare l’accesso a $HOST$.',
    '$AUTHORITIES$ ont ordonné aux fournisseurs d’accès à Internet de bloquer l’accès à $HOST$.',
  ],
  leadUnknown: [
    '$AUTHORITIES$ ordered that access to $HOST$ be blocked.',
    '$AUTHORITIES$ hanno disposto il blocco dell’accesso a $HOST$.',
    '$AUTHORITIES$ ont ordonné le blocage de l’accès à $HOST$.',
  ],
  leadResolver: [
    '$AUTHORITY$ ordered $NAME$ to block $HOST$ on its DNS resolver.',
    '$AUTHORITY$ ha ordinato a $NAME$ di bloccare $HOST$ sul suo resolver DNS.',
    '$AUTHORITY$ a ordonné à $NAME$ de bloquer $HOST$ sur son résolveur DNS.',
  ],
  leadApplies: ['Ordinanza applies this order in this browser.', 'Ordinanza applica questo ordine in questo browser.', 'Ordinanza applique cet ordre dans ce navigateur.'],
  leadAppliesMany: ['Ordinanza applies these orders in this browser.', 'Ordinanza applica questi ordini in questo browser.', 'Ordinanza applique ces ordres dans ce navigateur.'],
  authoritiesOf_IT: ['Italian authorities', 'Le autorità italiane', 'Les autorités italiennes'],
  authoritiesOf: ['The authorities', 'Le autorità', 'Les autorités'],
  actHeading: ['Listed by $AUTHORITY$', 'Elencato da $AUTHORITY$', 'Inscrit par $AUTHORITY$'],
  fieldAct: ['Act', 'Atto', 'Acte'],
  act_register: ['Listing in the authority’s list', 'Iscrizione nella lista dell’autorità', 'Inscription sur la liste de l’autorité'],
  act_decision: ['Decision of the authority', 'Provvedimento dell’autorità', 'Décision de l’autorité'],
  act_court_order: ['Court order', 'Provvedimento del giudice', 'Décision de justice'],
  fieldAddressedTo: ['Ordered to block', 'Obbligato a bloccare', 'Tenu de bloquer'],
  addressee_isps: ['Internet providers', 'Fornitori di accesso a Internet', 'Fournisseurs d’accès à Internet'],
  addresseeResolver: ['The DNS resolver of $NAME$', 'Il resolver DNS di $NAME$', 'Le résolveur DNS de $NAME$'],
  addresseeResolverUnnamed: ['A DNS resolver', 'Un resolver DNS', 'Un résolveur DNS'],
  statusListed: ['Listed in “$SOURCE$” as of $DATE$.', 'Presente in «$SOURCE$» alla data $DATE$.', 'Présent dans « $SOURCE$ » à la date du $DATE$.'],
  statusNamed: ['Named in “$SOURCE$” (no date given).', 'Citato in «$SOURCE$» (senza data).', 'Cité dans « $SOURCE$ » (sans date).'],
  statusRemoved: [
    'Listed in “$SOURCE$” as of $LISTED$; no longer in its edition of $GONE$, so Ordinanza does not block it for this order.',
    'Presente in «$SOURCE$» alla data $LISTED$; non più nella sua edizione del $GONE$, quindi Ordinanza non lo blocca per questo ordine.',
    'Présent dans « $SOURCE$ » à la date du $LISTED$ ; absent de son édition du $GONE$ : Ordinanza ne le bloque donc pas pour cet ordre.',
  ],
  aboutDate: ['about $DATE$', '$DATE$ circa', '$DATE$ environ'],
  fieldCaveat: ['The source warns', 'La fonte avverte', 'La source avertit'],
  caveatNote: ['This warning is part of the source list itself.', 'Questo avviso fa parte della lista di origine.', 'Cet avertissement figure dans la liste source elle-même.'],
  remedyDeadline: ['Time limit: $DEADLINE$', 'Termine: $DEADLINE$', 'Délai : $DEADLINE$'],
  remedyNote: ['From the cited source; check it before relying on it.', 'Dalla fonte citata; verificarla prima di farvi affidamento.', 'D’après la source citée ; à vérifier avant de s’y fier.'],
  dataAge: [
    'Newest data in the list for $JURISDICTION$: $DATE$ ($AGE$).',
    'Dati più recenti della lista per $JURISDICTION$: $DATE$ ($AGE$).',
    'Données les plus récentes de la liste pour $JURISDICTION$ : $DATE$ ($AGE$).',
  ],
  dataAgeUnknown: [
    'The sources of the list for $JURISDICTION$ give no date for their data.',
    'Le fonti della lista per $JURISDICTION$ non danno una data per i loro dati.',
    'Les sources de la liste pour $JURISDICTION$ ne datent pas leurs données.',
  ],
  dataOutOfDate: [
    'This list may be out of date: its newest data is more than $MONTHS$ months old. The official lists may have added or removed sites since.',
    'Questa lista potrebbe non essere aggiornata: i suoi dati più recenti hanno più di $MONTHS$ mesi. Da allora le liste ufficiali potrebbero aver aggiunto o tolto siti.',
    'Cette liste n’est peut-être plus à jour : ses données les plus récentes ont plus de $MONTHS$ mois. Les listes officielles ont pu ajouter ou retirer des sites depuis.',
  ],
  listSize: ['$COUNT$ sites.', '$COUNT$ siti.', '$COUNT$ sites.'],
  dataMaxAgeLabel: [
    'Say a list may be out of date when its newest data is older than (months)',
    'Segnala che una lista potrebbe non essere aggiornata quando i suoi dati più recenti superano (mesi)',
    'Signaler qu’une liste n’est peut-être plus à jour quand ses données les plus récentes dépassent (mois)',
  ],
  dataMaxAgeHelp: ['From 1 to 120 months; 12 by default.', 'Da 1 a 120 mesi; 12 se non indicato.', 'De 1 à 120 mois ; 12 par défaut.'],
  reasonRemoved: ['a newer edition of the source no longer lists it.', 'un’edizione più recente della fonte non lo elenca più.', 'une édition plus récente de la source ne le liste plus.'],
};

export const explainPlaceholders = {
  leadIsps: ph('authorities', 'host'),
  leadUnknown: ph('authorities', 'host'),
  leadResolver: ph('authority', 'name', 'host'),
  actHeading: ph('authority'),
  addresseeResolver: ph('name'),
  statusListed: ph('source', 'date'),
  statusNamed: ph('source'),
  statusRemoved: ph('source', 'listed', 'gone'),
  aboutDate: ph('date'),
  remedyDeadline: ph('deadline'),
  dataAge: ph('jurisdiction', 'date', 'age'),
  dataAgeUnknown: ph('jurisdiction'),
  dataOutOfDate: ph('months'),
  listSize: ph('count'),
};
