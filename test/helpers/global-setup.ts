import type { TestProject } from 'vitest/node';
import { createPgTemplate, dropPgDatabase } from './pg-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string | null;
  }
}

/**
 * On PostgreSQL, migrate once into a template database that each test file copies with
 * CREATE DATABASE … TEMPLATE (about 0.1 s). On PGlite each worker does the same in memory.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('pgTemplate', null);
    return;
  }
  const template = await createPgTemplate(url);
  project.provide('pgTemplate', template);
  return async () => {
    await dropPgDatabase(url, template);
  };
}
