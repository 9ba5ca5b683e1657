/**
 * Checks publiccode.yml against the publiccode.yml standard, version 0.4/0.5
 * (https://yml.publiccode.tools/schema.core.html and schema.it.html), as implemented by the
 * Developers Italia validator (publiccode-parser-go). Written from the standard's text, not a
 * copy of the validator: mandatory keys, enumerations, controlled vocabularies, lengths.
 */

import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';

const ROOT = new URL('../', import.meta.url);
const raw = readFileSync(new URL('publiccode.yml', ROOT));
const doc = parseDocument(raw.toString('utf8'), { version: '1.2', uniqueKeys: true });
// biome-ignore lint/suspicious/noExplicitAny: the test inspects an untyped YAML document
const pc = doc.toJS() as Record<string, any>;

const DEVELOPMENT_STATUS = ['concept', 'development', 'beta', 'stable', 'obsolete'];
const SOFTWARE_TYPES = [
  'standalone/mobile',
  'standalone/iot',
  'standalone/desktop',
  'standalone/web',
  'standalone/backend',
  'standalone/other',
  'addon',
  'library',
  'configurationFiles',
];
const PLATFORMS = ['web', 'windows', 'mac', 'linux', 'ios', 'android'];
const MAINTENANCE_TYPES = ['internal', 'contract', 'community', 'none'];
/** Controlled vocabulary of `categories` (categories-list). */
const CATEGORIES = new Set(
  `accounting agile-project-management applicant-tracking application-development appointment-scheduling
  backup billing-and-invoicing blog budgeting business-intelligence business-process-management cad
  call-center-management cloud-management collaboration communications compliance-management
  contact-management content-management crm customer-service-and-support data-analytics data-collection
  data-visualization design design-system digital-asset-management digital-citizenship document-management
  donor-management e-commerce e-signature educational-content email-management email-marketing
  employee-management enterprise-project-management enterprise-social-networking erp event-management
  facility-management feedback-and-reviews-management financial-reporting fleet-management fundraising
  gamification geographic-information-systems grant-management graphic-design help-desk hr ide
  identity-management instant-messaging inventory-management it-asset-management it-development
  it-management it-security it-service-management knowledge-management learning-management-system
  marketing mind-mapping mobile-marketing mobile-payment network-management office online-booking
  online-community payment-gateway payroll predictive-analysis procurement productivity-suite
  project-collaboration project-management property-management real-estate-management remote-support
  resource-management sales-management seo service-desk social-media-management survey
  talent-management task-management taxes-management test-management time-management time-tracking
  translation video-conferencing video-editing visitor-management voip warehouse-management
  web-collaboration web-conferencing website-builder whistleblowing workflow-management`.split(/\s+/),
);
/** Controlled vocabulary of `intendedAudience.scope` (scope-list). */
const SCOPES = new Set(
  `agriculture culture defence education emergency-services employment energy environment
  finance-and-economic-development foreign-affairs healthcare infrastructures justice local-authorities
  manufacturing research science-and-technology security society sport tourism transportation welfare`.split(
    /\s+/,
  ),
);
const TOP_LEVEL_KEYS = new Set([
  'publiccodeYmlVersion',
  'name',
  'applicationSuite',
  'url',
  'landingURL',
  'isBasedOn',
  'softwareVersion',
  'releaseDate',
  'logo',
  'monochromeLogo',
  'organisation',
  'fundedBy',
  'inputTypes',
  'outputTypes',
  'platforms',
  'categories',
  'usedBy',
  'roadmap',
  'developmentStatus',
  'softwareType',
  'intendedAudience',
  'description',
  'legal',
  'maintenance',
  'localisation',
  'dependsOn',
  'IT',
  'it',
]);
const BCP47 = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isUrl = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};
const isDate = (value: unknown): boolean =>
  typeof value === 'string' &&
  DATE.test(value) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
const nonEmptyString = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
const chars = (s: string) => [...s].length;

describe('publiccode.yml', () => {
  it('is a UTF-8 YAML 1.2 document without errors or duplicate keys', () => {
    expect(isUtf8(raw)).toBe(true);
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    expect(Object.keys(pc).filter((k) => !TOP_LEVEL_KEYS.has(k))).toEqual([]);
  });

  it('has the mandatory top-level keys', () => {
    expect(['0.4', '0.4.0', '0.5', '0.5.0']).toContain(pc.publiccodeYmlVersion);
    expect(nonEmptyString(pc.name)).toBe(true);
    expect(pc.name).toBe('ambito');
    expect(isUrl(pc.url)).toBe(true);
    expect(DEVELOPMENT_STATUS).toContain(pc.developmentStatus);
    expect(SOFTWARE_TYPES).toContain(pc.softwareType);
    expect(pc.softwareType).toBe('standalone/web');
    expect(pc.developmentStatus).toBe('development');
  });

  it('has a release date when a version is released', () => {
    if (pc.softwareVersion !== undefined || pc.developmentStatus === 'stable') {
      expect(isDate(pc.releaseDate)).toBe(true);
    }
    if (pc.releaseDate !== undefined) expect(isDate(pc.releaseDate)).toBe(true);
  });

  it('lists platforms and categories from the controlled vocabularies', () => {
    const platforms = Array.isArray(pc.platforms) ? pc.platforms : [pc.platforms];
    expect(platforms.length).toBeGreaterThan(0);
    for (const p of platforms) expect(PLATFORMS).toContain(p);
    expect(platforms).toContain('web');

    expect(Array.isArray(pc.categories)).toBe(true);
    expect(pc.categories.length).toBeGreaterThan(0);
    expect(pc.categories.filter((c: unknown) => !CATEGORIES.has(c as string))).toEqual([]);
    expect(new Set(pc.categories).size).toBe(pc.categories.length);
  });

  it('has a valid intended audience, if any', () => {
    const audience = pc.intendedAudience;
    if (audience === undefined) return;
    for (const s of audience.scope ?? []) expect(SCOPES).toContain(s);
    for (const c of [...(audience.countries ?? []), ...(audience.unsupportedCountries ?? [])]) {
      expect(c).toMatch(/^[a-zA-Z]{2}$/);
    }
  });

  it('describes the software in Italian and English within the length limits', () => {
    expect(Object.keys(pc.description)).toEqual(expect.arrayContaining(['it', 'en']));
    for (const [lang, d] of Object.entries<Record<string, unknown>>(pc.description)) {
      expect(lang).toMatch(BCP47);
      expect(nonEmptyString(d.shortDescription), `${lang}.shortDescription`).toBe(true);
      const short = d.shortDescription as string;
      expect(chars(short), `${lang}.shortDescription length`).toBeLessThanOrEqual(150);
      expect(short, `${lang}.shortDescription is one line`).not.toMatch(/\n/);
      // Mandatory for at least one language; we require them for every language we ship.
      expect(typeof d.longDescription, `${lang}.longDescription`).toBe('string');
      const long = (d.longDescription as string).trim();
      expect(chars(long), `${lang}.longDescription length`).toBeGreaterThanOrEqual(150);
      expect(chars(long), `${lang}.longDescription length`).toBeLessThanOrEqual(10_000);
      expect(Array.isArray(d.features), `${lang}.features`).toBe(true);
      const features = d.features as unknown[];
      expect(features.length).toBeGreaterThan(0);
      for (const f of features) expect(nonEmptyString(f)).toBe(true);
      if (d.genericName !== undefined) expect(chars(d.genericName as string)).toBeLessThanOrEqual(35);
      for (const key of ['documentation', 'apiDocumentation'] as const) {
        if (d[key] !== undefined) expect(isUrl(d[key]), `${lang}.${key}`).toBe(true);
      }
    }
  });

  it('declares the EUPL-1.2 licence, consistently with LICENSE and package.json', () => {
    expect(pc.legal?.license).toBe('EUPL-1.2');
    const license = readFileSync(new URL('LICENSE', ROOT), 'utf8');
    expect(license.startsWith('EUROPEAN UNION PUBLIC LICENCE v. 1.2')).toBe(true);
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { license?: string };
    expect(pkg.license).toBe(pc.legal.license);
  });

  it('describes maintenance with the keys its type requires', () => {
    const m = pc.maintenance;
    expect(MAINTENANCE_TYPES).toContain(m?.type);
    if (m.type === 'contract') {
      expect(Array.isArray(m.contractors) && m.contractors.length > 0).toBe(true);
      for (const c of m.contractors) {
        expect(nonEmptyString(c.name)).toBe(true);
        expect(isDate(c.until)).toBe(true);
      }
    } else {
      expect(m.contractors).toBeUndefined();
    }
    if (m.type === 'internal' || m.type === 'community') {
      expect(Array.isArray(m.contacts) && m.contacts.length > 0).toBe(true);
    }
    for (const c of m.contacts ?? []) {
      expect(nonEmptyString(c.name)).toBe(true);
      if (c.email !== undefined) expect(c.email).toMatch(/^[^@\s]+@[^@\s]+$/);
      if (c.phone !== undefined) expect(typeof c.phone).toBe('string');
    }
  });

  it('describes localisation', () => {
    expect(typeof pc.localisation?.localisationReady).toBe('boolean');
    expect(Array.isArray(pc.localisation.availableLanguages)).toBe(true);
    expect(pc.localisation.availableLanguages.length).toBeGreaterThan(0);
    for (const l of pc.localisation.availableLanguages) expect(l).toMatch(BCP47);
    expect(pc.localisation.availableLanguages).toContain('it');
  });

  it('declares its system dependencies, PostgreSQL >= 15 included', () => {
    const groups = ['open', 'proprietary', 'hardware'] as const;
    for (const g of groups) {
      for (const d of pc.dependsOn?.[g] ?? []) {
        expect(nonEmptyString(d.name)).toBe(true);
        for (const k of ['version', 'versionMin', 'versionMax']) {
          if (d[k] !== undefined) expect(typeof d[k], `${d.name}.${k} must be a string`).toBe('string');
        }
        if (d.optional !== undefined) expect(typeof d.optional).toBe('boolean');
      }
    }
    const postgres = (pc.dependsOn?.open ?? []).find((d: { name: string }) => d.name === 'PostgreSQL');
    expect(postgres).toBeDefined();
    expect(Number.parseFloat(postgres.versionMin)).toBeGreaterThanOrEqual(15);
  });

  it('has a valid Italian country section', () => {
    expect(pc.IT !== undefined && pc.it !== undefined).toBe(false); // one spelling only
    const it = pc.IT ?? pc.it;
    expect(it).toBeDefined();
    expect(it.countryExtensionVersion).toBe('1.0');
    for (const [key, value] of Object.entries(it.piattaforme ?? {})) {
      expect(['spid', 'cie', 'anpr', 'pagopa', 'io']).toContain(key);
      expect(typeof value).toBe('boolean');
    }
    for (const [key, value] of Object.entries(it.conforme ?? {})) {
      expect(['lineeGuidaDesign', 'modelloInteroperabilita', 'misureMinimeSicurezza', 'gdpr']).toContain(key);
      expect(typeof value).toBe('boolean');
    }
    // riuso.codiceIPA is mandatory only when the repository owner is a public administration.
    if (it.riuso?.codiceIPA !== undefined) expect(it.riuso.codiceIPA).toMatch(/^[a-z0-9_]+$/i);
  });
});
