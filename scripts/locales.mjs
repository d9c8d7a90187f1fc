// Source of the UI strings in it, en and fr; writes extension/_locales/*/messages.json and the
// message keys' types (src/platform/message-keys.ts), so that a misspelt key is a compile error.
// Edit here, run `node scripts/locales.mjs`; a unit test checks every key exists in every locale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { explainPlaceholders, explainStrings } from './locales-explain.mjs';
import { jurisdictionPlaceholders, jurisdictionStrings } from './locales-jurisdictions.mjs';

const strings = {
  // The language these messages are in: pages set <html lang> from it (the browser's reported UI
  // language can differ from the locale Chromium picked the messages from).
  localeCode: ['en', 'it', 'fr'],
  extName: ['Ordinanza', 'Ordinanza', 'Ordinanza'],
  extDescription: [
    'Enforces website block orders and lists in the browser, whatever DNS you use, and says which order blocks a site.',
    'Applica nel browser gli ordini e le liste di blocco dei siti, qualunque DNS si usi, e spiega quale ordine blocca un sito.',
    'Applique dans le navigateur les ordres et listes de blocage de sites, quel que soit le DNS utilisé, et indique quel ordre bloque un site.',
  ],
  actionTitle: ['Ordinanza: is this site blocked, and why?', 'Ordinanza: questo sito è bloccato, e perché?', 'Ordinanza : ce site est-il bloqué, et pourquoi ?'],
  blockedTitle: ['This site is blocked', 'Questo sito è bloccato', 'Ce site est bloqué'],
  blockedWhy: [
    'Ordinanza applies block orders and lists in the browser itself, so the block holds whatever DNS resolver is in use.',
    'Ordinanza applica ordini e liste di blocco nel browser stesso: il blocco vale qualunque resolver DNS si usi.',
    'Ordinanza applique les ordres et listes de blocage dans le navigateur même : le blocage vaut quel que soit le résolveur DNS utilisé.',
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
  contestUnknownList: [
    'The published sources do not say how this listing can be contested.',
    'Le fonti pubblicate non indicano come contestare questa iscrizione.',
    "Les sources publiées n'indiquent pas comment contester cette inscription.",
  ],
  sourceQuote: ['What the source says', 'Cosa dice la fonte', 'Ce que dit la source'],
  sourcesTitle: ['Sources', 'Fonti', 'Sources'],
  sourcesNote: [
    'What the sources say about the order as a whole; the list edition, last, is where this site’s entry comes from.',
    'Cosa dicono le fonti sull’ordine nel suo insieme; l’edizione della lista, in fondo, è da dove viene la voce di questo sito.',
    'Ce que les sources disent de l’ordre dans son ensemble ; l’édition de la liste, en dernier, est l’origine de l’entrée de ce site.',
  ],
  category_copyright: ['Copyright', "Diritto d'autore", "Droit d'auteur"],
  category_gambling: ['Illegal gambling', "Gioco d'azzardo illegale", "Jeux d'argent illégaux"],
  category_tobacco: ['Illegal tobacco sales', 'Vendita illegale di tabacchi', 'Vente illégale de tabac'],
  category_finance: ['Unauthorised financial services', 'Abusivismo finanziario', 'Services financiers non autorisés'],
  category_health: ['Health', 'Salute', 'Santé'],
  category_other: ['Other', 'Altro', 'Autre'],
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
  listInfo: ['List of $JURISDICTION$, serial $SERIAL$, generated $DATE$.', 'Lista $JURISDICTION$, seriale $SERIAL$, generata il $DATE$.', 'Liste $JURISDICTION$, numéro $SERIAL$, générée le $DATE$.'],
  openOptions: ['Settings', 'Impostazioni', 'Réglages'],
  noAddress: ['No address was given.', 'Nessun indirizzo indicato.', "Aucune adresse n'a été donnée."],

  // Popup
  listsTitle: ['Lists in use', 'Liste in uso', 'Listes utilisées'],
  tabNewTab: [
    'This is a new tab. Open a website to see whether it is blocked, and why.',
    'Questa è una nuova scheda. Apri un sito per sapere se è bloccato, e perché.',
    'Ceci est un nouvel onglet. Ouvrez un site pour savoir s’il est bloqué, et pourquoi.',
  ],
  tabBrowserPage: [
    'This is a page of the browser itself. Ordinanza applies only to websites.',
    'Questa è una pagina del browser stesso. Ordinanza si applica solo ai siti web.',
    'Ceci est une page du navigateur lui-même. Ordinanza ne s’applique qu’aux sites web.',
  ],
  tabExtensionPage: [
    'This page belongs to a browser extension. Ordinanza applies only to websites.',
    'Questa pagina appartiene a un’estensione del browser. Ordinanza si applica solo ai siti web.',
    'Cette page appartient à une extension du navigateur. Ordinanza ne s’applique qu’aux sites web.',
  ],
  tabLocalFile: [
    'This is a file on this computer. Ordinanza applies only to websites.',
    'Questo è un file su questo computer. Ordinanza si applica solo ai siti web.',
    'Ceci est un fichier de cet ordinateur. Ordinanza ne s’applique qu’aux sites web.',
  ],
  tabUnknown: ['No website is open in this tab.', 'In questa scheda non è aperto alcun sito.', 'Aucun site n’est ouvert dans cet onglet.'],
  badgeOn: ['on', 'attiva', 'activée'],
  badgeOff: ['off', 'disattivata', 'désactivée'],
  listSetAsideNoBuiltIn: [
    'A downloaded list (number $SERIAL$) is set aside: the key that signed it ($KEY$) is no longer trusted. Ordinanza has no built-in list for this country: none applies until a list signed by a trusted key arrives.',
    'Una lista scaricata (numero $SERIAL$) è stata messa da parte: la chiave che l’ha firmata ($KEY$) non è più considerata affidabile. Ordinanza non include una lista per questo paese: nessuna si applica finché non arriva una lista firmata da una chiave affidabile.',
    'Une liste téléchargée (numéro $SERIAL$) est mise de côté : la clé qui l’a signée ($KEY$) n’est plus reconnue. Ordinanza n’a pas de liste intégrée pour ce pays : aucune ne s’applique jusqu’à l’arrivée d’une liste signée par une clé reconnue.',
  ],
  listSetAside: [
    'A downloaded list (number $SERIAL$) is set aside: the key that signed it ($KEY$) is no longer trusted. The built-in list applies until a list signed by a trusted key arrives.',
    'Una lista scaricata (numero $SERIAL$) è stata messa da parte: la chiave che l’ha firmata ($KEY$) non è più considerata affidabile. Si applica la lista integrata finché non arriva una lista firmata da una chiave affidabile.',
    'Une liste téléchargée (numéro $SERIAL$) est mise de côté : la clé qui l’a signée ($KEY$) n’est plus reconnue. La liste intégrée s’applique jusqu’à l’arrivée d’une liste signée par une clé reconnue.',
  ],
  noHostAccess: [
    'Ordinanza cannot block sites: it has no access to them.',
    'Ordinanza non può bloccare i siti: non ha accesso ai siti.',
    "Ordinanza ne peut pas bloquer les sites : il n'y a pas accès.",
  ],
  noHostAccessDetail: [
    'Pages of listed sites open normally until access to all sites is allowed again.',
    "Le pagine dei siti elencati si aprono normalmente finché non si consente di nuovo l'accesso a tutti i siti.",
    "Les pages des sites listés s'ouvrent normalement tant que l'accès à tous les sites n'est pas de nouveau autorisé.",
  ],
  grantHostAccess: ['Allow access to all sites', "Consenti l'accesso a tutti i siti", "Autoriser l'accès à tous les sites"],
  policyLockedShort: ['Settings managed by your organisation.', 'Impostazioni gestite dalla tua organizzazione.', 'Réglages gérés par votre organisation.'],

  // Verdict on an address (popup and options search)
  verdictNoHost: [
    'That is not a website address. Type a name such as example.com or a full address.',
    'Questo non è l’indirizzo di un sito. Scrivi un nome come example.com o un indirizzo completo.',
    'Ce n’est pas l’adresse d’un site. Saisissez un nom comme example.com ou une adresse complète.',
  ],
  badgeBlocked: ['Blocked', 'Bloccato', 'Bloqué'],
  badgeNotBlocked: ['Not blocked', 'Non bloccato', 'Non bloqué'],
  badgeListedOff: ['Listed, not blocked here', 'In lista, non bloccato qui', 'Listé, non bloqué ici'],
  verdictListedOff: [
    '$HOST$ is on a list, but it is not blocked in this browser because:',
    '$HOST$ è in una lista, ma non è bloccato in questo browser perché:',
    '$HOST$ figure sur une liste, mais il n’est pas bloqué dans ce navigateur car :',
  ],
  verdictNotListed: [
    '$HOST$ is not on any list in use, so it is not blocked.',
    '$HOST$ non è in nessuna delle liste in uso, quindi non è bloccato.',
    '$HOST$ ne figure sur aucune des listes utilisées : il n’est donc pas bloqué.',
  ],
  reasonJurisdictionOff: [
    'the lists of $JURISDICTION$ are turned off in the settings.',
    'le liste ($JURISDICTION$) sono disattivate nelle impostazioni.',
    'les listes ($JURISDICTION$) sont désactivées dans les réglages.',
  ],
  reasonCategoryOff: [
    'the category “$CATEGORY$” is turned off for $JURISDICTION$ in the settings.',
    'la categoria «$CATEGORY$» ($JURISDICTION$) è disattivata nelle impostazioni.',
    'la catégorie « $CATEGORY$ » ($JURISDICTION$) est désactivée dans les réglages.',
  ],
  reasonUnknown: ['the lists changed a moment ago; reopen this page.', 'le liste sono cambiate un momento fa; riapri questa pagina.', 'les listes ont changé à l’instant ; rouvrez cette page.'],

  // List facts and sync status
  listFacts: [
    'List serial $SERIAL$, generated $DATE$ ($AGE$), $COUNT$ sites.',
    'Lista numero $SERIAL$, generata il $DATE$ ($AGE$), $COUNT$ siti.',
    'Liste numéro $SERIAL$, générée le $DATE$ ($AGE$), $COUNT$ sites.',
  ],
  listSourceEmbedded: ['Built into Ordinanza.', 'Inclusa in Ordinanza.', 'Intégrée à Ordinanza.'],
  listSourceRemote: ['Downloaded from the feed address, signature checked.', 'Scaricata dall’indirizzo del feed, firma verificata.', 'Téléchargée depuis l’adresse du flux, signature vérifiée.'],
  listStale: [
    'This list expired on $DATE$: it is still applied, but a newer one should be installed.',
    'Questa lista è scaduta il $DATE$: è ancora applicata, ma andrebbe installata una più recente.',
    'Cette liste a expiré le $DATE$ : elle reste appliquée, mais une plus récente devrait être installée.',
  ],
  syncOff: [
    'Updates are off: the list built into Ordinanza is used. Set a feed address to receive newer lists.',
    'Aggiornamenti disattivati: si usa la lista inclusa in Ordinanza. Indica l’indirizzo di un feed per ricevere liste più recenti.',
    'Mises à jour désactivées : la liste intégrée à Ordinanza est utilisée. Indiquez l’adresse d’un flux pour recevoir des listes plus récentes.',
  ],
  syncAwaiting: [
    'No list is installed for this country yet; the first valid list downloaded from $URL$ will be.',
    'Per questo paese non è ancora installata alcuna lista; lo sarà la prima lista valida scaricata da $URL$.',
    'Aucune liste n’est encore installée pour ce pays ; la première liste valide téléchargée depuis $URL$ le sera.',
  ],
  syncNever: ['Not checked for updates yet.', 'Aggiornamenti non ancora controllati.', 'Mises à jour pas encore vérifiées.'],
  syncLastSuccess: ['Last successful check: $TIME$ — $OUTCOME$', 'Ultimo controllo riuscito: $TIME$ — $OUTCOME$', 'Dernière vérification réussie : $TIME$ — $OUTCOME$'],
  syncOutcome_installed: ['a newer list was installed.', 'è stata installata una lista più recente.', 'une liste plus récente a été installée.'],
  syncOutcome_unchanged: ['the list was already up to date.', 'la lista era già aggiornata.', 'la liste était déjà à jour.'],
  syncNoSuccess: ['No update has succeeded yet.', 'Nessun aggiornamento è ancora riuscito.', 'Aucune mise à jour n’a encore réussi.'],
  syncLastError: [
    'The last attempt ($TIME$) failed: $REASON$ The list already installed stays in use.',
    'L’ultimo tentativo ($TIME$) non è riuscito: $REASON$ La lista già installata resta in uso.',
    'La dernière tentative ($TIME$) a échoué : $REASON$ La liste déjà installée reste utilisée.',
  ],
  syncLastErrorNoList: ['The last attempt ($TIME$) failed: $REASON$', 'L’ultimo tentativo ($TIME$) non è riuscito: $REASON$', 'La dernière tentative ($TIME$) a échoué : $REASON$'],
  syncNext: ['Next check: $TIME$.', 'Prossimo controllo: $TIME$.', 'Prochaine vérification : $TIME$.'],
  technicalDetails: ['Technical details', 'Dettagli tecnici', 'Détails techniques'],
  syncError_badRedirect: [
    'the server sent the request on to an address that is not secure (plain http or another scheme), so the list was not downloaded.',
    'il server ha rimandato a un indirizzo non sicuro (http semplice o un altro schema), quindi la lista non è stata scaricata.',
    'le serveur a renvoyé vers une adresse non sécurisée (http simple ou un autre schéma), donc la liste n’a pas été téléchargée.',
  ],
  syncError_badUrl: [
    'the feed address is not acceptable (it must start with https://).',
    'l’indirizzo del feed non è accettabile (deve iniziare con https://).',
    'l’adresse du flux n’est pas acceptable (elle doit commencer par https://).',
  ],
  syncError_network: [
    'the server could not be reached. Check the network connection and the address.',
    'il server non è raggiungibile. Controlla la connessione e l’indirizzo.',
    'le serveur est injoignable. Vérifiez la connexion et l’adresse.',
  ],
  syncError_timeout: ['the server took too long to answer.', 'il server ha impiegato troppo a rispondere.', 'le serveur a mis trop de temps à répondre.'],
  syncError_httpStatus: [
    'the server did not provide the list (it answered with an error, such as “not found”).',
    'il server non ha fornito la lista (ha risposto con un errore, ad esempio «non trovato»).',
    'le serveur n’a pas fourni la liste (il a répondu par une erreur, par exemple « introuvable »).',
  ],
  syncError_oversized: [
    'the file is larger than a list may be, so it was not downloaded.',
    'il file è più grande di quanto una lista possa essere, quindi non è stato scaricato.',
    'le fichier est plus gros qu’une liste ne peut l’être : il n’a pas été téléchargé.',
  ],
  syncError_malformedSignature: ['the list’s signature is missing or unreadable.', 'la firma della lista manca o è illeggibile.', 'la signature de la liste est absente ou illisible.'],
  syncError_unknownKey: [
    'the list is signed with a key this browser does not trust.',
    'la lista è firmata con una chiave di cui questo browser non si fida.',
    'la liste est signée avec une clé à laquelle ce navigateur ne fait pas confiance.',
  ],
  syncError_badSignature: [
    'the signature does not match the list: it may have been altered.',
    'la firma non corrisponde alla lista: potrebbe essere stata alterata.',
    'la signature ne correspond pas à la liste : elle a pu être modifiée.',
  ],
  syncError_invalidFeed: ['the downloaded file is not a valid list.', 'il file scaricato non è una lista valida.', 'le fichier téléchargé n’est pas une liste valide.'],
  syncError_rollback: [
    'the server offered a list older than the one installed, so it was refused.',
    'il server ha offerto una lista più vecchia di quella installata, che è stata quindi rifiutata.',
    'le serveur a proposé une liste plus ancienne que celle installée : elle a été refusée.',
  ],
  syncError_expired: ['the server offered a list that has already expired.', 'il server ha offerto una lista già scaduta.', 'le serveur a proposé une liste déjà expirée.'],
  syncError_wrongJurisdiction: [
    'the file at this address is the list of another country.',
    'il file a questo indirizzo è la lista di un altro paese.',
    'le fichier à cette adresse est la liste d’un autre pays.',
  ],
  syncError_applyFailed: [
    'the new list could not be installed in the browser.',
    'non è stato possibile installare la nuova lista nel browser.',
    'la nouvelle liste n’a pas pu être installée dans le navigateur.',
  ],
  syncError_superseded: [
    'the settings changed during the download (another address or keys), so that list was not installed.',
    'le impostazioni sono cambiate durante il download (altro indirizzo o altre chiavi), quindi quella lista non è stata installata.',
    'les réglages ont changé pendant le téléchargement (autre adresse ou autres clés) : cette liste n’a pas été installée.',
  ],

  // Options
  optionsTitle: ['Ordinanza settings', 'Impostazioni di Ordinanza', 'Réglages d’Ordinanza'],
  loadingSettings: ['Loading the settings…', 'Caricamento delle impostazioni…', 'Chargement des réglages…'],
  policyLocked: [
    'These settings are set by your organisation and cannot be changed here.',
    'Queste impostazioni sono stabilite dalla tua organizzazione e non si possono modificare qui.',
    'Ces réglages sont définis par votre organisation et ne peuvent pas être modifiés ici.',
  ],
  policyPartial: [
    'Some settings are set by your organisation: they are shown but cannot be changed here.',
    'Alcune impostazioni sono stabilite dalla tua organizzazione: sono visibili ma non si possono modificare qui.',
    'Certains réglages sont définis par votre organisation : ils sont affichés mais ne peuvent pas être modifiés ici.',
  ],
  policyErrors: [
    'Some values of the organisation’s policy were ignored (for the administrator)',
    'Alcuni valori della policy dell’organizzazione sono stati ignorati (per l’amministratore)',
    'Certaines valeurs de la stratégie de l’organisation ont été ignorées (pour l’administrateur)',
  ],
  policyAlsoSets: [
    'Also set by your organisation (no control on this page):',
    'Impostati anche dalla tua organizzazione (nessuna opzione in questa pagina):',
    'Également définis par votre organisation (sans réglage sur cette page) :',
  ],
  policyFetchTimeout: [
    'Wait allowed for the server: $SECONDS$ s (a whole download may take up to 20 times as long)',
    'Attesa concessa al server: $SECONDS$ s (un intero download può durare fino a 20 volte tanto)',
    'Attente accordée au serveur : $SECONDS$ s (un téléchargement entier peut durer jusqu’à 20 fois plus)',
  ],
  policyTrustedKeys: [
    'Keys whose signed lists are accepted, besides Ordinanza’s: $KEYS$',
    'Chiavi le cui liste firmate sono accettate, oltre a quelle di Ordinanza: $KEYS$',
    'Clés dont les listes signées sont acceptées, en plus de celles d’Ordinanza : $KEYS$',
  ],
  managedTag: ['Set by your organisation', 'Stabilito dalla tua organizzazione', 'Défini par votre organisation'],
  searchTitle: ['Is this site blocked, and why?', 'Questo sito è bloccato, e perché?', 'Ce site est-il bloqué, et pourquoi ?'],
  searchLabel: ['Website or address', 'Sito o indirizzo', 'Site ou adresse'],
  searchButton: ['Check', 'Verifica', 'Vérifier'],
  searchHelp: [
    'For example example.com or https://www.example.com/page. Checked against the lists in this browser; nothing is sent anywhere.',
    'Ad esempio example.com o https://www.example.com/pagina. Il controllo usa le liste di questo browser; nulla viene inviato altrove.',
    'Par exemple example.com ou https://www.example.com/page. La vérification utilise les listes de ce navigateur ; rien n’est envoyé ailleurs.',
  ],
  enforceTitle: ['What is blocked', 'Cosa viene bloccato', 'Ce qui est bloqué'],
  enforceJurisdiction: ['Apply the lists of $JURISDICTION$', 'Applica le liste ($JURISDICTION$)', 'Appliquer les listes ($JURISDICTION$)'],
  categoriesLegend: ['Categories of orders ($JURISDICTION$)', 'Categorie di ordini ($JURISDICTION$)', 'Catégories d’ordres ($JURISDICTION$)'],
  siteCount: ['$COUNT$ sites', '$COUNT$ siti', '$COUNT$ sites'],
  blockingLegend: ['How sites are blocked', 'Come vengono bloccati i siti', 'Comment les sites sont bloqués'],
  blockSubresourcesLabel: [
    'Also block content from listed sites embedded in other pages',
    'Blocca anche i contenuti dei siti in lista inclusi in altre pagine',
    'Bloquer aussi le contenu des sites listés intégré à d’autres pages',
  ],
  blockSubresourcesHelp: [
    'Images, scripts and other requests to a listed site from any page are refused too. When off, only its pages and frames are blocked (they show the block page).',
    'Anche immagini, script e altre richieste verso un sito in lista da qualsiasi pagina vengono rifiutati. Se disattivato, si bloccano solo le sue pagine e i suoi frame (mostrano la pagina di blocco).',
    'Les images, scripts et autres requêtes vers un site listé depuis n’importe quelle page sont aussi refusés. Désactivé, seuls ses pages et ses cadres sont bloqués (ils affichent la page de blocage).',
  ],
  updatesTitle: ['List updates', 'Aggiornamento delle liste', 'Mise à jour des listes'],
  feedUrlLabel: ['Feed address for $JURISDICTION$', 'Indirizzo del feed ($JURISDICTION$)', 'Adresse du flux ($JURISDICTION$)'],
  feedUrlHelp: [
    'An https address of a signed list. Leave empty to use only the list built into Ordinanza. The signature is read from the same address followed by .sig.',
    'Un indirizzo https di una lista firmata. Lascia vuoto per usare solo la lista inclusa in Ordinanza. La firma si legge dallo stesso indirizzo seguito da .sig.',
    'Une adresse https d’une liste signée. Laissez vide pour n’utiliser que la liste intégrée à Ordinanza. La signature est lue à la même adresse suivie de .sig.',
  ],
  feedUrlNotUrl: ['This is not a web address.', 'Questo non è un indirizzo web.', 'Ce n’est pas une adresse web.'],
  feedUrlCredentials: [
    'The address must not contain a user name or password.',
    'L’indirizzo non deve contenere nome utente o password.',
    'L’adresse ne doit pas contenir de nom d’utilisateur ni de mot de passe.',
  ],
  feedUrlInsecure: [
    'The address must start with https:// (plain http:// only for this computer: localhost or 127.0.0.1).',
    'L’indirizzo deve iniziare con https:// (http:// semplice solo per questo computer: localhost o 127.0.0.1).',
    'L’adresse doit commencer par https:// (http:// simple seulement pour cet ordinateur : localhost ou 127.0.0.1).',
  ],
  syncIntervalLabel: ['Check for a newer list every (minutes)', 'Controlla se c’è una lista più recente ogni (minuti)', 'Vérifier s’il existe une liste plus récente toutes les (minutes)'],
  syncIntervalHelp: ['From 5 to 1440 minutes (one day).', 'Da 5 a 1440 minuti (un giorno).', 'De 5 à 1440 minutes (un jour).'],
  syncIntervalInvalid: ['Enter a whole number from $MIN$ to $MAX$.', 'Inserisci un numero intero da $MIN$ a $MAX$.', 'Saisissez un nombre entier de $MIN$ à $MAX$.'],
  saveButton: ['Save', 'Salva', 'Enregistrer'],
  syncNowButton: ['Check for updates now', 'Controlla aggiornamenti ora', 'Rechercher des mises à jour maintenant'],
  syncing: ['Checking for updates…', 'Controllo degli aggiornamenti…', 'Recherche de mises à jour…'],
  syncFinished: ['Update check finished.', 'Controllo degli aggiornamenti terminato.', 'Recherche de mises à jour terminée.'],
  syncFinishedErrors: [
    'Update check finished with an error: see the status below.',
    'Controllo degli aggiornamenti terminato con un errore: vedi lo stato qui sotto.',
    'Recherche de mises à jour terminée avec une erreur : voir l’état ci-dessous.',
  ],
  syncNothing: [
    'No feed address is set, so there is nothing to update: the built-in list is used.',
    'Nessun indirizzo di feed impostato, quindi non c’è nulla da aggiornare: si usa la lista inclusa.',
    'Aucune adresse de flux n’est définie : il n’y a rien à mettre à jour, la liste intégrée est utilisée.',
  ],
  statsTitle: ['What the lists contain', 'Cosa contengono le liste', 'Ce que contiennent les listes'],
  byAuthority: ['Sites by authority', 'Siti per autorità', 'Sites par autorité'],
  byCategory: ['Sites by category', 'Siti per categoria', 'Sites par catégorie'],
  countSites: ['Sites', 'Siti', 'Sites'],
  statsNote: [
    '$COUNT$ sites in all; a site listed by two orders counts for each.',
    '$COUNT$ siti in tutto; un sito elencato da due ordini conta per ciascuno.',
    '$COUNT$ sites en tout ; un site listé par deux ordres compte pour chacun.',
  ],
  saving: ['Saving…', 'Salvataggio…', 'Enregistrement…'],
  saved: ['Saved. The blocking rules are updated.', 'Salvato. Le regole di blocco sono aggiornate.', 'Enregistré. Les règles de blocage sont à jour.'],
  saveRefusedManaged: [
    'Not saved: this setting is set by your organisation.',
    'Non salvato: questa impostazione è stabilita dalla tua organizzazione.',
    'Non enregistré : ce réglage est défini par votre organisation.',
  ],
  saveRefused: ['Not saved: $ERROR$', 'Non salvato: $ERROR$', 'Non enregistré : $ERROR$'],
  fixErrors: ['Not saved: correct the marked fields.', 'Non salvato: correggi i campi segnalati.', 'Non enregistré : corrigez les champs signalés.'],
  nothingChanged: ['Nothing has changed.', 'Nessuna modifica.', 'Aucune modification.'],
};

/** Named placeholders, in the order of the substitutions the code passes. */
const ph = (...names) => Object.fromEntries(names.map((n, i) => [n, { content: `$${i + 1}` }]));

const placeholders = {
  listInfo: {
    jurisdiction: { content: '$1', example: 'IT' },
    serial: { content: '$2', example: '2026112801' },
    date: { content: '$3', example: '28/11/2026' },
  },
  verdictListedOff: ph('host'),
  verdictNotListed: ph('host'),
  reasonJurisdictionOff: ph('jurisdiction'),
  reasonCategoryOff: ph('category', 'jurisdiction'),
  listFacts: ph('serial', 'date', 'age', 'count'),
  listStale: ph('date'),
  listSetAside: ph('serial', 'key'),
  listSetAsideNoBuiltIn: ph('serial', 'key'),
  syncLastSuccess: ph('time', 'outcome'),
  syncLastError: ph('time', 'reason'),
  syncLastErrorNoList: ph('time', 'reason'),
  syncNext: ph('time'),
  enforceJurisdiction: ph('jurisdiction'),
  categoriesLegend: ph('jurisdiction'),
  siteCount: ph('count'),
  feedUrlLabel: ph('jurisdiction'),
  syncAwaiting: ph('url'),
  policyFetchTimeout: ph('seconds'),
  policyTrustedKeys: ph('keys'),
  syncIntervalInvalid: ph('min', 'max'),
  statsNote: ph('count'),
  saveRefused: ph('error'),
  ...explainPlaceholders,
  ...jurisdictionPlaceholders,
};
Object.assign(strings, explainStrings, jurisdictionStrings);

// Every $NAME$ in a message has a placeholder, and every placeholder is used, in every locale.
for (const [key, values] of Object.entries(strings)) {
  const declared = Object.keys(placeholders[key] ?? {}).sort();
  for (const text of values) {
    const used = [...new Set([...text.matchAll(/\$([A-Za-z_]+)\$/g)].map((m) => m[1].toLowerCase()))].sort();
    if (JSON.stringify(used) !== JSON.stringify(declared)) throw new Error(`${key}: placeholders ${used} in "${text}" but declared ${declared}`);
  }
}

for (const key of Object.keys(placeholders)) if (!(key in strings)) throw new Error(`${key}: placeholders declared for a key with no message`);

// `--check`: write nothing, exit 1 when a generated file differs from what this file generates (a
// hand edit of messages.json would be lost at the next generation; stale key types would let code
// name a key that no longer exists).
const check = process.argv.includes('--check');
const stale = [];
/** Writes a generated file, or with --check records it when it is not what would be written. */
function emit(file, text) {
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(file);
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

['en', 'it', 'fr'].forEach((locale, i) => {
  const out = {};
  for (const [key, values] of Object.entries(strings)) {
    out[key] = { message: values[i] };
    if (placeholders[key]) out[key].placeholders = placeholders[key];
  }
  emit(`extension/_locales/${locale}/messages.json`, `${JSON.stringify(out, null, 2)}\n`);
});
emit('src/platform/message-keys.ts', keyTypes());

/** The TypeScript module of the keys: plain keys as a list (the pages test keys made at run time), the rest with their placeholders. */
function keyTypes() {
  const keys = Object.keys(strings);
  const plain = keys.filter((k) => !placeholders[k]);
  const order = (p) => Object.keys(p).sort((a, b) => Number(p[a].content.slice(1)) - Number(p[b].content.slice(1)));
  const withSubs = keys.filter((k) => placeholders[k]).map((k) => `  readonly ${k}: '${order(placeholders[k]).join(' ')}';`);
  return [
    '// Generated by `node scripts/locales.mjs` from scripts/locales*.mjs: do not edit. The keys of',
    '// extension/_locales, so that a misspelt key or a wrong number of substitutions does not compile.',
    '',
    '/** The messages that take no substitutions. */',
    'export const PLAIN_MESSAGE_KEYS = [',
    ...plain.map((k) => `  '${k}',`),
    '] as const;',
    '',
    '/** The messages that take substitutions: their placeholders, in the order the code passes them. */',
    'export interface MessagePlaceholders {',
    ...withSubs,
    '}',
    '',
    "/** Placeholders as a tuple: `PlaceholderList<MessagePlaceholders['listInfo']>` is `['jurisdiction', 'serial', 'date']`. */",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source written into the generated file
    'export type PlaceholderList<S extends string> = S extends `${infer First} ${infer Rest}` ? [First, ...PlaceholderList<Rest>] : [S];',
    '',
    'export type PlainMessageKey = (typeof PLAIN_MESSAGE_KEYS)[number];',
    'export type MessageKey = PlainMessageKey | keyof MessagePlaceholders;',
    '',
    'const PLAIN: ReadonlySet<string> = new Set(PLAIN_MESSAGE_KEYS);',
    '',
    "/** Whether a key made at run time (from a feed's code, an HTML attribute) names a message without substitutions. */",
    'export function isPlainMessageKey(key: string): key is PlainMessageKey {',
    '  return PLAIN.has(key);',
    '}',
    '',
  ].join('\n');
}

if (stale.length > 0) {
  console.error(`not what scripts/locales.mjs generates: ${stale.join(', ')} (edit scripts/locales*.mjs, then run node scripts/locales.mjs)`);
  process.exitCode = 1;
}
