import type { ColumnType, Generated } from 'kysely';

/** Timestamps are written by the database and read as Date. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface RegionsTable {
  code: string;
  name: string;
}

export interface ProvincesTable {
  code: string;
  name: string;
  abbr: string;
  region_code: string;
}

export interface ComuniTable {
  istat_code: string;
  name: string;
  name_other: string | null;
  province_code: string;
  belfiore: string;
  legal_population: number | null;
  is_capoluogo: boolean;
  ceased_on: string | null;
  list_date: string;
  updated_at: Timestamp;
}

export interface ComuniImportsTable {
  list_date: string;
  source: string;
  rows: number;
  ceased: number;
  imported_at: Timestamp;
}

export interface PopulationTable {
  istat_code: string;
  ref_year: number;
  age: number;
  male: number;
  female: number;
}

export interface PopulationImportsTable {
  ref_year: number;
  source: string;
  demo: boolean;
  comuni: number;
  imported_at: Timestamp;
}

export interface AmbitiTable {
  id: Generated<string>;
  code: string;
  name: string;
  capofila_istat: string | null;
  ats: string | null;
  asst: string | null;
  district: string | null;
  demo: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AmbitoComuniTable {
  ambito_id: string;
  istat_code: string;
  valid_from: string;
  valid_to: string | null;
  created_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: string;
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface DB {
  regions: RegionsTable;
  provinces: ProvincesTable;
  comuni: ComuniTable;
  comuni_imports: ComuniImportsTable;
  population: PopulationTable;
  population_imports: PopulationImportsTable;
  ambiti: AmbitiTable;
  ambito_comuni: AmbitoComuniTable;
  schema_migrations: SchemaMigrationsTable;
}
