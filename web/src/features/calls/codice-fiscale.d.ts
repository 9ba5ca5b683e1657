/**
 * codice-fiscale-js ships types with a default export, but its CommonJS bundle only sets
 * `module.exports.CodiceFiscale` (see src/features/calls/codice-fiscale.d.ts on the server). This
 * ambient declaration, looked up before node_modules, describes what the bundle really exports.
 */
declare module 'codice-fiscale-js' {
  export class CodiceFiscale {
    /** Parses a code; throws when it is not valid. */
    constructor(codiceFiscale: string);
    readonly cf: string;
    /** Format and check character (omocodia letters accepted). */
    static check(codiceFiscale: string): boolean;
    /** The check character of the first 15 characters. */
    static getCheckCode(first15: string): string;
    static surnameCode(surname: string): string;
    static nameCode(name: string): string;
    /** Year (2 digits), month letter, day (plus 40 for women). */
    static dateCode(day: number, month: number, year: number, gender: 'M' | 'F'): string;
    /** Omocodia letters turned back into digits, check character recomputed. */
    static fromOmocodiaToOriginal(codiceFiscale: string): string;
    /** The code of a person; `birthplace` may be a Comune's name or its cadastral code. */
    static compute(person: {
      name: string;
      surname: string;
      gender: 'M' | 'F';
      day: number;
      month: number;
      year: number;
      birthplace: string;
    }): string;
    /** The cadastral (Belfiore) code of a Comune or foreign State by name; throws when unknown or ambiguous. */
    static findLocationCode(name: string, province?: string): string;
  }
}
