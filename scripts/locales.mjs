// Source of the UI strings in it, en and fr; writes extension/_locales/*/messages.json.
// Edit here, run `node scripts/locales.mjs`; a unit test checks every key exists in every locale.
import { mkdirSync, writeFileSync } from 'node:fs';

const strings = {
  extName: ['Ordinanza', 'Ordinanza', 'Ordinanza'],
  extDescription: [
    'Enforces official website block orders in the browser, whatever DNS you use, and says which order blocks a site.',
    'Applica nel browser gli ordini ufficiali di blocco dei siti, qualunque DNS si usi, e spiega quale ordine blocca un sito.',
    'Applique dans le navigateur les ordres officiels de blocage de sites, quel que soit le DNS utilisé, et indique quel ordre bloque un site.',
  ],
  actionTitle: ['Ordinanza: is this site blocked, and why?', 'Ordinanza: questo sito è bloccato, e perché?', 'Ordinanza : ce site est-il bloqué, et pourquoi ?'],
  blockedTitle: ['This site is blocked', 'Questo sito è bloccato', 'Ce site est bloqué'],
  blockedLead: [
    'Access to $HOST$ is blocked in this browser because of the order below.',
    "L'accesso a $HOST$ è bloccato in questo browser per l'ordine indicato sotto.",
    "L'accès à $HOST$ est bloqué dans ce navigateur en raison de l'ordre ci-dessous.",
  ],
  blockedLeadMany: [
    'Access to $HOST$ is blocked in this browser because of the orders below.',
    "L'accesso a $HOST$ è bloccato in questo browser per gli ordini indicati sotto.",
    "L'accès à $HOST$ est bloqué dans ce navigateur en raison des ordres ci-dessous.",
  ],
  blockedWhy: [
    'Ordinanza applies official block orders in the browser itself, so the block holds whatever DNS resolver is in use.',
    'Ordinanza applica gli ordini ufficiali di blocco nel browser stesso: il blocco vale qualunque resolver DNS si usi.',
    "Ordinanza applique les ordres officiels de blocage dans le navigateur même : le blocage vaut quel que soit le résolveur DNS utilisé.",
  ],
  blockedAddress: ['Blocked address', 'Indirizzo bloccato', 'Adresse bloquée'],
  fieldAuthority: ['Authority', 'Autorità', 'Autorité'],
  fieldReference: ['Reference', 'Riferimento', 'Référence'],
  fieldDate: ['Date', 'Data', 'Date'],
  fieldLegalBasis: ['Legal basis', 'Base giuridica', 'Base légale'],
  fieldCategory: ['Category', 'Categoria', 'Catégorie'],
  fieldRequestedBy: ['Requested by', 'Richiesto da', 'Demandé par'],
  fieldSource: ['Public source', 'Fonte pubblica', 'Source publique'],
  fieldContest: ['How to contest', 'Come contestarlo', 'Comment le contester'],
  fieldEdition: ['List edition', 'Edizione della lista', 'Édition de la liste'],
  fieldListed: ['Listed as', 'Elencato come', 'Inscrit comme'],
  fieldStatus: ['Status', 'Stato', 'Statut'],
  contestUnknown: [
    'The published sources do not say how this order can be contested.',
    'Le fonti pubblicate non indicano come contestare questo ordine.',
    "Les sources publiées n'indiquent pas comment contester cet ordre.",
  ],
  sourceQuote: ['What the source says', 'Cosa dice la fonte', 'Ce que dit la source'],
  sourcesTitle: ['Sources', 'Fonti', 'Sources'],
  category_copyright: ['Copyright', "Diritto d'autore", "Droit d'auteur"],
  category_gambling: ['Illegal gambling', "Gioco d'azzardo illegale", "Jeux d'argent illégaux"],
  category_tobacco: ['Illegal tobacco sales', 'Vendita illegale di tabacchi', 'Vente illégale de tabac'],
  category_finance: ['Unauthorised financial services', 'Abusivismo finanziario', 'Services financiers non autorisés'],
  category_health: ['Health', 'Salute', 'Santé'],
  category_other: ['Other', 'Altro', 'Autre'],
  status_active: ['In force', 'In vigore', 'En vigueur'],
  status_revoked: ['Revoked', 'Revocato', 'Révoqué'],
  jurisdiction_IT: ['Italy', 'Italia', 'Italie'],
  notBlocked: [
    'This address is not blocked under the current lists and settings.',
    'Questo indirizzo non è bloccato con le liste e le impostazioni attuali.',
    "Cette adresse n'est pas bloquée avec les listes et réglages actuels.",
  ],
  tryAgain: ['Open the address again', "Apri di nuovo l'indirizzo", "Rouvrir l'adresse"],
  loading: ['Looking up the order…', "Ricerca dell'ordine…", "Recherche de l'ordre…"],
  unavailable: [
    'The explanation is not available right now. Reload this page to try again.',
    'La spiegazione non è disponibile ora. Ricarica la pagina per riprovare.',
    "L'explication n'est pas disponible pour le moment. Rechargez la page pour réessayer.",
  ],
  listInfo: [
    'List of $JURISDICTION$, serial $SERIAL$, generated $DATE$.',
    'Lista $JURISDICTION$, seriale $SERIAL$, generata il $DATE$.',
    'Liste $JURISDICTION$, numéro $SERIAL$, générée le $DATE$.',
  ],
  openOptions: ['Settings', 'Impostazioni', 'Réglages'],
  noAddress: ['No address was given.', 'Nessun indirizzo indicato.', "Aucune adresse n'a été donnée."],
};

const placeholders = {
  blockedLead: { host: { content: '$1', example: 'example.com' } },
  blockedLeadMany: { host: { content: '$1', example: 'example.com' } },
  listInfo: {
    jurisdiction: { content: '$1', example: 'IT' },
    serial: { content: '$2', example: '2026112801' },
    date: { content: '$3', example: '28/11/2026' },
  },
};

['en', 'it', 'fr'].forEach((locale, i) => {
  const out = {};
  for (const [key, values] of Object.entries(strings)) {
    out[key] = { message: values[i] };
    if (placeholders[key]) out[key].placeholders = placeholders[key];
  }
  mkdirSync(`extension/_locales/${locale}`, { recursive: true });
  writeFileSync(`extension/_locales/${locale}/messages.json`, `${JSON.stringify(out, null, 2)}\n`);
});
