import { describe, expect, it } from 'vitest';
import { MASKS, maskPersonalData, maskPersonalDataOrNull } from './masking';

describe('maskPersonalData', () => {
  it.each([
    ['06 12 34 56 78'],
    ['06.12.34.56.78'],
    ['06-12-34-56-78'],
    ['0612345678'],
    ['+33 6 12 34 56 78'],
    ['+33612345678'],
    ['+33 (0)6 12 34 56 78'],
    ['0033 6 12 34 56 78'],
    ['01 42 76 40 40'],
    ['06\u00a012\u00a034\u00a056\u00a078'],
  ])('masks the phone number %s', (phone) => {
    expect(maskPersonalData(`Appelez-moi au ${phone}, merci.`)).toBe(`Appelez-moi au ${MASKS.phone}, merci.`);
  });

  it('masks a phone number at the start and the end of the text', () => {
    expect(maskPersonalData('0612345678')).toBe(MASKS.phone);
    expect(maskPersonalData('tel:0612345678')).toBe(`tel:${MASKS.phone}`);
  });

  it.each([['jean.dupont@example.fr'], ['j+pave@mail.example.com'], ['élodie_2@exemple.org']])(
    'masks the e-mail address %s',
    (email) => {
      expect(maskPersonalData(`Écrivez à ${email} svp`)).toBe(`Écrivez à ${MASKS.email} svp`);
    },
  );

  it.each([['AB-123-CD'], ['AB 123 CD'], ['AB123CD'], ['1234 AB 75'], ['123 ABC 2A'], ['12 AB 971'], ['1234AB75']])(
    'masks the plate %s',
    (plate) => {
      expect(maskPersonalData(`Voiture ${plate} garée sur le trottoir.`)).toBe(
        `Voiture ${MASKS.plate} garée sur le trottoir.`,
      );
    },
  );

  it('masks several items in one text and keeps the rest', () => {
    expect(maskPersonalData('La voiture AB-123-CD bloque, son propriétaire : 06 12 34 56 78 ou a@b.fr.')).toBe(
      `La voiture ${MASKS.plate} bloque, son propriétaire : ${MASKS.phone} ou ${MASKS.email}.`,
    );
  });

  it.each([
    ['a date', 'Depuis le 12/03/2026, rien ne bouge.'],
    ['a date with dashes', 'Signalé le 2026-03-12 et le 12-03-2026.'],
    ['a time', 'Tous les soirs de 18:30 à 20:00.'],
    ['a house number', 'Devant le 12 rue de la Paix, 75002 Paris.'],
    ['an address with a lowercase abbreviation', 'Au 123 bd Voltaire, au 45 av Jean Jaurès.'],
    ['a report reference', 'Même problème que PAV-2026-000653 et 2026-000653.'],
    ['a price', 'Réparation estimée à 1 250,00 € ou 1250 EUR.'],
    ['a long number', 'Compteur 0612345678901 et code 12345678.'],
    ['a nine-digit number', 'SIREN 061234567.'],
    ['a postcode and city in capitals', 'Adresse : 8 BIS RUE DU PONT 75011 PARIS.'],
    ['a measurement', 'Trou de 30 cm sur 2 m, profond de 15 CM.'],
    ['a bus line', 'Arrêt du bus 96, ligne RER B.'],
    ['an at sign alone', 'Rendez-vous @ la mairie.'],
    ['a lamp post id', 'Lampadaire n° 12-345.'],
  ])('leaves %s alone', (_what, text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('keeps null as null', () => {
    expect(maskPersonalDataOrNull(null)).toBeNull();
    expect(maskPersonalDataOrNull('0612345678')).toBe(MASKS.phone);
  });
});
