import type { Locale } from '@pave/shared';

/** What a report's mails say, in each language a recipient may read (their page's or account's). */
export interface StatusMailTexts {
  createdSubject: (ref: string, category: string) => string;
  createdThanks: (ref: string, category: string, place: string) => string;
  createdRouted: string;
  createdLink: string;
  address: (address: string) => string;
  /** When an entry names no status. */
  updated: string;
  statusSubject: (ref: string, label: string) => string;
  statusNow: (ref: string, category: string, place: string, label: string) => string;
  reason: (reason: string) => string;
  transferredTo: (to: string) => string;
  teamMessage: (message: string) => string;
  resolvedAsk: string;
  follow: string;
  neverPublished: string;
  unsubscribe: string;
  unsubscribeLine: (url: string) => string;
  afterPhotoAlt: string;
  afterPhotoFile: (n: number) => string;
}

export const STATUS_MAIL_TEXTS: Record<Locale, StatusMailTexts> = {
  fr: {
    createdSubject: (ref, category) => `Signalement ${ref} reçu : ${category}`,
    createdThanks: (ref, category, place) =>
      `Merci ! Votre signalement « ${category} »${place} a bien été reçu sous la référence ${ref}.`,
    createdRouted: 'Il est transmis automatiquement à l’équipe chargée de ce secteur.',
    createdLink:
      'Suivez-le, ajoutez une photo ou dites-nous s’il est réparé grâce à ce lien personnel (ne le partagez pas) :',
    address: (address) => `Adresse : ${address}`,
    updated: 'mis à jour',
    statusSubject: (ref, label) => `${ref} : ${label}`,
    statusNow: (ref, category, place, label) =>
      `Le signalement ${ref} « ${category} »${place} est maintenant : ${label}.`,
    reason: (reason) => `Motif : ${reason}.`,
    transferredTo: (to) => `Transmis à : ${to}.`,
    teamMessage: (message) => `Message de l’équipe : ${message}`,
    resolvedAsk: 'Est-ce vraiment réparé, et êtes-vous satisfait (de 1 à 5) ? Dites-le-nous sur cette page :',
    follow: 'Suivre le signalement :',
    neverPublished: 'Votre adresse n’est jamais publiée.',
    unsubscribe: 'Ne plus suivre ce signalement',
    unsubscribeLine: (url) => `Ne plus suivre ce signalement : ${url}`,
    afterPhotoAlt: 'Photo après intervention',
    afterPhotoFile: (n) => `apres-${n}.jpg`,
  },
  en: {
    createdSubject: (ref, category) => `Report ${ref} received: ${category}`,
    createdThanks: (ref, category, place) =>
      `Thank you! Your report “${category}”${place} was received with the reference ${ref}.`,
    createdRouted: 'It is sent automatically to the team in charge of this area.',
    createdLink: 'Follow it, add a photo or tell us whether it is fixed with this personal link (do not share it):',
    address: (address) => `Address: ${address}`,
    updated: 'updated',
    statusSubject: (ref, label) => `${ref}: ${label}`,
    statusNow: (ref, category, place, label) => `Report ${ref} “${category}”${place} is now: ${label}.`,
    reason: (reason) => `Reason: ${reason}.`,
    transferredTo: (to) => `Transferred to: ${to}.`,
    teamMessage: (message) => `Message from the team: ${message}`,
    resolvedAsk: 'Is it really fixed, and are you satisfied (from 1 to 5)? Tell us on this page:',
    follow: 'Follow the report:',
    neverPublished: 'Your address is never published.',
    unsubscribe: 'Stop following this report',
    unsubscribeLine: (url) => `Stop following this report: ${url}`,
    afterPhotoAlt: 'Photo after the work',
    afterPhotoFile: (n) => `after-${n}.jpg`,
  },
};
