/** The default category tree, modelled on DansMaRue's groups and sub-types. Deadlines in hours. */
export interface CategorySeed {
  code: string;
  fr: string;
  en: string;
  deadlineHours: number;
  priority: 1 | 2 | 3;
  synonyms?: string[];
  isSensitive?: boolean;
  /** Default: calendar hours for priority 1 (danger does not wait for Monday), working hours otherwise. */
  deadlineMode?: 'calendar' | 'working';
}

export interface CategoryGroupSeed {
  code: string;
  fr: string;
  en: string;
  /** Which kind of team handles this group: per-arrondissement domain, or one city-wide team. */
  domain: 'proprete' | 'voirie' | 'espaces-verts' | 'eclairage' | 'eau' | 'vehicules';
  /** Share of reports in the demo seed, after DansMaRue's published proportions. */
  demoWeight: number;
  categories: CategorySeed[];
}

export const CATEGORY_TREE: CategoryGroupSeed[] = [
  {
    code: 'proprete',
    fr: 'Propreté',
    en: 'Cleanliness',
    domain: 'proprete',
    demoWeight: 15,
    categories: [
      {
        code: 'depot-sauvage',
        fr: 'Dépôt sauvage',
        en: 'Fly-tipping',
        deadlineHours: 48,
        priority: 2,
        synonyms: ['sacs', 'gravats', 'ordures'],
      },
      {
        code: 'corbeille-pleine',
        fr: 'Corbeille de rue pleine',
        en: 'Overflowing street bin',
        deadlineHours: 24,
        priority: 2,
        synonyms: ['poubelle', 'bac'],
      },
      {
        code: 'dechets-voie',
        fr: 'Déchets sur la voie publique',
        en: 'Litter in the street',
        deadlineHours: 48,
        priority: 3,
        synonyms: ['papiers', 'mégots'],
      },
      {
        code: 'dejections',
        fr: 'Déjections canines',
        en: 'Dog fouling',
        deadlineHours: 72,
        priority: 3,
        synonyms: ['crottes'],
      },
    ],
  },
  {
    code: 'graffitis',
    fr: 'Graffitis, tags, affiches',
    en: 'Graffiti, tags and posters',
    domain: 'proprete',
    demoWeight: 40,
    categories: [
      {
        code: 'tag-facade',
        fr: 'Tag sur façade',
        en: 'Tag on a façade',
        deadlineHours: 240,
        priority: 3,
        synonyms: ['graffiti', 'peinture'],
      },
      {
        code: 'tag-mobilier',
        fr: 'Tag sur mobilier urbain',
        en: 'Tag on street furniture',
        deadlineHours: 168,
        priority: 3,
      },
      {
        code: 'affichage-sauvage',
        fr: 'Affichage sauvage',
        en: 'Fly-posting',
        deadlineHours: 168,
        priority: 3,
        synonyms: ['affiche', 'autocollant'],
      },
      {
        code: 'tag-injurieux',
        fr: 'Tag injurieux ou discriminatoire',
        en: 'Offensive or hateful tag',
        deadlineHours: 24,
        priority: 1,
        isSensitive: true,
      },
    ],
  },
  {
    code: 'objets-abandonnes',
    fr: 'Objets abandonnés',
    en: 'Abandoned objects',
    domain: 'proprete',
    demoWeight: 24,
    categories: [
      {
        code: 'encombrant',
        fr: 'Encombrant (matelas, meuble…)',
        en: 'Bulky item (mattress, furniture…)',
        deadlineHours: 48,
        priority: 2,
        synonyms: ['matelas', 'canapé', 'meuble'],
      },
      {
        code: 'electromenager',
        fr: 'Électroménager abandonné',
        en: 'Abandoned appliance',
        deadlineHours: 48,
        priority: 2,
        synonyms: ['frigo', 'machine à laver'],
      },
      {
        code: 'velo-abandonne',
        fr: 'Vélo abandonné',
        en: 'Abandoned bicycle',
        deadlineHours: 336,
        priority: 3,
        synonyms: ['épave', 'vélo'],
      },
    ],
  },
  {
    code: 'voirie',
    fr: 'Voirie et espace public',
    en: 'Roads and public space',
    domain: 'voirie',
    demoWeight: 10,
    categories: [
      {
        code: 'nid-de-poule',
        fr: 'Nid-de-poule',
        en: 'Pothole',
        deadlineHours: 72,
        priority: 1,
        synonyms: ['trou', 'chaussée'],
      },
      {
        code: 'trottoir-degrade',
        fr: 'Trottoir : affaissement, trou, bosse, pavé arraché',
        en: 'Pavement: sinking, hole, bump, loose paving',
        deadlineHours: 120,
        priority: 2,
        synonyms: ['pavé', 'trottoir', 'bosse'],
      },
      {
        code: 'regard-descelle',
        fr: 'Plaque ou regard descellé',
        en: 'Loose manhole cover or grate',
        deadlineHours: 24,
        priority: 1,
        synonyms: ['égout', 'grille'],
      },
      {
        code: 'marquage-efface',
        fr: 'Marquage au sol effacé',
        en: 'Faded road markings',
        deadlineHours: 720,
        priority: 3,
        synonyms: ['passage piéton'],
      },
    ],
  },
  {
    code: 'eclairage',
    fr: 'Éclairage',
    en: 'Street lighting',
    domain: 'eclairage',
    demoWeight: 4,
    categories: [
      {
        code: 'lampadaire-eteint',
        fr: 'Lampadaire éteint',
        en: 'Street light out',
        deadlineHours: 72,
        priority: 2,
        synonyms: ['lumière', 'réverbère'],
      },
      {
        code: 'lampadaire-endommage',
        fr: 'Lampadaire endommagé',
        en: 'Damaged street light',
        deadlineHours: 24,
        priority: 1,
      },
      {
        code: 'feu-tricolore',
        fr: 'Feu tricolore en panne',
        en: 'Traffic light out',
        deadlineHours: 4,
        priority: 1,
        synonyms: ['feu rouge'],
      },
    ],
  },
  {
    code: 'mobilier-urbain',
    fr: 'Mobilier urbain',
    en: 'Street furniture',
    domain: 'voirie',
    demoWeight: 3,
    categories: [
      { code: 'banc-degrade', fr: 'Banc dégradé', en: 'Damaged bench', deadlineHours: 168, priority: 3 },
      {
        code: 'potelet-arrache',
        fr: 'Potelet ou barrière arraché',
        en: 'Bollard or barrier knocked down',
        deadlineHours: 72,
        priority: 2,
        synonyms: ['bite', 'poteau'],
      },
      {
        code: 'abribus-endommage',
        fr: 'Abribus endommagé',
        en: 'Damaged bus shelter',
        deadlineHours: 48,
        priority: 2,
        synonyms: ['vitre'],
      },
    ],
  },
  {
    code: 'arbres',
    fr: 'Arbres et végétaux',
    en: 'Trees and plants',
    domain: 'espaces-verts',
    demoWeight: 2,
    categories: [
      {
        code: 'branche-dangereuse',
        fr: 'Branche cassée ou menaçante',
        en: 'Broken or dangerous branch',
        deadlineHours: 24,
        priority: 1,
      },
      { code: 'pied-arbre', fr: "Pied d'arbre encombré", en: 'Cluttered tree pit', deadlineHours: 168, priority: 3 },
      {
        code: 'vegetation-envahissante',
        fr: 'Végétation envahissante',
        en: 'Overgrown vegetation',
        deadlineHours: 336,
        priority: 3,
        synonyms: ['herbes', 'haie'],
      },
    ],
  },
  {
    code: 'eau',
    fr: 'Eau',
    en: 'Water',
    domain: 'eau',
    demoWeight: 1,
    categories: [
      {
        code: 'fuite-eau',
        fr: "Fuite d'eau sur la voie",
        en: 'Water leak in the street',
        deadlineHours: 4,
        priority: 1,
        synonyms: ['inondation'],
      },
      {
        code: 'fontaine-panne',
        fr: 'Fontaine à boire en panne',
        en: 'Broken drinking fountain',
        deadlineHours: 120,
        priority: 3,
      },
      {
        code: 'avaloir-bouche',
        fr: 'Avaloir bouché',
        en: 'Blocked drain',
        deadlineHours: 48,
        priority: 2,
        synonyms: ['caniveau'],
      },
    ],
  },
  {
    code: 'vehicules',
    fr: 'Véhicules abandonnés',
    en: 'Abandoned vehicles',
    domain: 'vehicules',
    demoWeight: 1,
    categories: [
      {
        code: 'voiture-ventouse',
        fr: 'Voiture abandonnée (ventouse)',
        en: 'Abandoned car',
        deadlineHours: 720,
        priority: 3,
        synonyms: ['épave', 'voiture'],
      },
      {
        code: 'deux-roues-abandonne',
        fr: 'Deux-roues abandonné',
        en: 'Abandoned motorbike or scooter',
        deadlineHours: 720,
        priority: 3,
        synonyms: ['scooter', 'moto'],
      },
    ],
  },
];

/** Arrondissement number by the `name` property of the arrondissements GeoJSON. */
export const ARRONDISSEMENT_NUMBER: Record<string, number> = {
  Louvre: 1,
  Bourse: 2,
  Temple: 3,
  'Hôtel-de-Ville': 4,
  Panthéon: 5,
  Luxembourg: 6,
  'Palais-Bourbon': 7,
  Élysée: 8,
  Opéra: 9,
  'Enclos-St-Laurent': 10,
  Popincourt: 11,
  Reuilly: 12,
  Gobelins: 13,
  Observatoire: 14,
  Vaugirard: 15,
  Passy: 16,
  'Batignolles-Monceau': 17,
  'Butte-Montmartre': 18,
  'Buttes-Chaumont': 19,
  Ménilmontant: 20,
};

export const PER_AREA_DOMAINS = [
  { domain: 'proprete', fr: 'Propreté' },
  { domain: 'voirie', fr: 'Voirie' },
  { domain: 'espaces-verts', fr: 'Espaces verts' },
] as const;

export const CITY_WIDE_TEAMS = [
  { code: 'eclairage', domain: 'eclairage', name: 'Éclairage public — Paris' },
  { code: 'eau', domain: 'eau', name: 'Eau de Paris' },
  { code: 'vehicules', domain: 'vehicules', name: 'Fourrière — véhicules abandonnés' },
] as const;

export const FALLBACK_TEAM = { code: 'tri', name: 'Cellule de tri' } as const;

/** An Open311 attribute of a category: a question asked when a report is filed through Open311. */
export interface CategoryAttributeSeed {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  description: string;
  datatypeDescription?: string;
  values?: { key: string; name: string }[];
}

/** Attributes by category code, in display order; together they use every Open311 datatype. */
export const CATEGORY_ATTRIBUTES: Record<string, CategoryAttributeSeed[]> = {
  'nid-de-poule': [
    {
      code: 'emplacement',
      datatype: 'singlevaluelist',
      required: true,
      description: 'Le trou est-il sur la chaussée ou sur le trottoir ?',
      values: [
        { key: 'chaussee', name: 'Sur la chaussée' },
        { key: 'trottoir', name: 'Sur le trottoir' },
        { key: 'piste-cyclable', name: 'Sur une piste cyclable' },
      ],
    },
    {
      code: 'profondeur_cm',
      datatype: 'number',
      required: false,
      description: 'Profondeur estimée',
      datatypeDescription: 'En centimètres, par exemple 5',
    },
  ],
  encombrant: [
    {
      code: 'type_objet',
      datatype: 'multivaluelist',
      required: true,
      description: "Type d'objet",
      values: [
        { key: 'matelas', name: 'Matelas, sommier' },
        { key: 'meuble', name: 'Meuble' },
        { key: 'electromenager', name: 'Électroménager' },
        { key: 'cartons', name: 'Cartons' },
        { key: 'gravats', name: 'Gravats, déchets de chantier' },
        { key: 'autre', name: 'Autre' },
      ],
    },
    {
      code: 'acces',
      datatype: 'text',
      required: false,
      description: "Précisions sur l'emplacement (porche, cour, étage…)",
    },
  ],
  'lampadaire-eteint': [
    {
      code: 'numero_mat',
      datatype: 'string',
      required: false,
      description: 'Numéro inscrit sur le mât',
      datatypeDescription: 'Plaque sur le mât, par exemple 11-0423',
    },
    {
      code: 'eteint_depuis',
      datatype: 'datetime',
      required: false,
      description: 'Éteint depuis',
      datatypeDescription: 'Date et heure ISO 8601 avec fuseau, par exemple 2026-11-28T21:00:00+01:00',
    },
  ],
};
