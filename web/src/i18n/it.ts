/**
 * Every string shown to users lives here, so an English catalogue can be added by
 * providing another object of the same `Messages` shape.
 */
export const it = {
  app: {
    name: 'Ambito — Piano di Zona',
    tagline: 'Pianificazione dei servizi sociali dell’Ambito territoriale',
    owner: 'Piattaforma open source per gli Ambiti territoriali sociali',
    titleSuffix: 'Ambito — Piano di Zona',
  },
  skipLinks: {
    label: 'Collegamenti rapidi',
    main: 'Vai al contenuto principale',
    nav: 'Vai alla navigazione',
    footer: 'Vai al piè di pagina',
  },
  header: {
    region: 'Regione Lombardia',
    slimLabel: 'Ente',
    navLabel: 'Navigazione principale',
    openMenu: 'Apri il menu di navigazione',
    closeMenu: 'Chiudi il menu di navigazione',
    mainNav: 'Menu principale',
  },
  nav: {
    ambiti: 'Ambiti territoriali',
    comuni: 'Comuni',
  },
  footer: {
    about: 'Il progetto',
    aboutText:
      'Strumento open source per la redazione e il monitoraggio del Piano di Zona degli Ambiti territoriali sociali (legge 328/2000).',
    license: 'Rilasciato con licenza EUPL-1.2',
    sources: 'Fonti dei dati',
    sourcesText: 'Elenco dei comuni e popolazione residente: ISTAT.',
    links: 'Collegamenti',
    apiDocs: 'Documentazione API',
    legalLabel: 'Note legali',
    accessibility: 'Dichiarazione di accessibilità',
    privacy: 'Informativa privacy',
  },
  breadcrumb: {
    label: 'Percorso di navigazione',
    home: 'Home',
  },
  state: {
    loading: 'Caricamento in corso…',
    errorTitle: 'Si è verificato un errore',
    genericError: 'Impossibile completare la richiesta. Riprovare più tardi.',
    networkError: 'Il servizio non è raggiungibile. Verificare la connessione e riprovare.',
    retry: 'Riprova',
    notAvailable: 'n.d.',
  },
  demo: {
    badge: 'Dati dimostrativi',
    populationNote: 'dati dimostrativi',
    populationNoteLong:
      'La popolazione per età è generata a scopo dimostrativo e non corrisponde ai dati ufficiali ISTAT.',
  },
  ambiti: {
    title: 'Ambiti territoriali',
    lead: 'Gli Ambiti territoriali sociali gestiti sulla piattaforma e i relativi enti di riferimento.',
    empty: 'Nessun Ambito territoriale registrato.',
    count: (n: number) => (n === 1 ? '1 Ambito territoriale' : `${n} Ambiti territoriali`),
    capofila: 'Comune capofila',
    ats: 'ATS',
    asst: 'ASST',
    district: 'Distretto sociosanitario',
    open: (name: string) => `Apri la scheda di ${name}`,
    openShort: 'Vai alla scheda',
  },
  ambito: {
    code: 'Codice',
    detailsTitle: 'Enti di riferimento',
    comuniTitle: 'Comuni dell’Ambito',
    comuniCaption: (name: string, date?: string) =>
      date ? `Comuni che fanno parte di ${name} al ${date}` : `Comuni che fanno parte di ${name}`,
    comuniEmpty: 'Nessun Comune associato a questo Ambito.',
    istat: 'Codice ISTAT',
    comune: 'Comune',
    province: 'Provincia',
    population: 'Popolazione',
    populationYear: (year: number) => `Popolazione al 1° gennaio ${year}`,
    totals: 'Totale',
    totalComuni: (n: number) => (n === 1 ? '1 Comune' : `${n} Comuni`),
    bandsTitle: 'Popolazione per fasce d’età',
    bandsYear: (year: number) => `Residenti al 1° gennaio ${year}`,
    bandsMissing: 'Dati sulla popolazione per età non disponibili.',
    bandsCaption: 'Residenti per fascia d’età',
    band: 'Fascia d’età',
    residents: 'Residenti',
    share: 'Quota',
    bands: {
      age0to17: '0–17 anni',
      age18to64: '18–64 anni',
      age65plus: '65 anni e oltre',
      age75plus: 'di cui 75 anni e oltre',
    },
    historyTitle: 'Storico delle adesioni',
    historyLead: 'Comuni la cui adesione all’Ambito è terminata o ha già una data di fine.',
    historyCaption: 'Adesioni con data di fine',
    validFrom: 'Dal',
    validTo: 'Al',
    notFoundTitle: 'Ambito non trovato',
    notFoundText: 'L’Ambito richiesto non esiste o l’indirizzo non è corretto.',
  },
  comuni: {
    title: 'Comuni',
    lead: 'Consultazione dell’elenco nazionale dei Comuni italiani (fonte ISTAT).',
    searchLabel: 'Cerca un Comune',
    searchHint: 'Digitare almeno 2 caratteri del nome, oppure il codice ISTAT o il codice catastale.',
    searchPlaceholder: 'Es. Monza',
    minChars: 'Digitare almeno 2 caratteri per avviare la ricerca.',
    resultsCaption: (q: string) => `Risultati della ricerca per «${q}»`,
    resultsCount: (n: number, limit: number) =>
      n === 0
        ? 'Nessun Comune trovato.'
        : n >= limit
          ? `Sono mostrati i primi ${n} risultati: affinare la ricerca.`
          : n === 1
            ? '1 Comune trovato.'
            : `${n} Comuni trovati.`,
    istat: 'Codice ISTAT',
    name: 'Comune',
    province: 'Provincia',
    region: 'Regione',
    belfiore: 'Codice catastale',
    legalPopulation: 'Popolazione legale 2011',
    ceased: 'Cessato',
    ceasedOn: (date: string) => `Cessato il ${date}`,
  },
  notFound: {
    title: 'Pagina non trovata',
    text: 'La pagina richiesta non esiste o è stata spostata.',
    back: 'Torna agli Ambiti territoriali',
  },
};

/** The shape every other language catalogue must satisfy. */
export type Messages = typeof it;
