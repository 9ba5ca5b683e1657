/**
 * codice-fiscale-js 2.4.0 ships types declaring `export default CodiceFiscale`, but its CommonJS
 * bundle only sets `module.exports.CodiceFiscale`: under Node's ESM the class is reachable as a
 * named import and the default import is an object without the static methods. This ambient
 * declaration describes what the bundle really exports (only what we use); the compiler looks
 * ambient modules up before node_modules, so it replaces the package's declaration.
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
    /** Letters substituted for digits (omocodia) turned back into digits, check character recomputed. */
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
      birthplaceProvincia?: string;
    }): string;
    /** Every omocodia variant of a code whose place of birth is in the library's list. */
    static getOmocodie(codiceFiscale: string): string[];
  }
}
