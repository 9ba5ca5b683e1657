import { z } from 'zod';

export const AuditQuery = z.object({
  user: z.string().trim().max(64).optional().describe('nome utente'),
  resourceType: z.string().trim().max(40).optional(),
  resourceId: z.string().trim().max(100).optional(),
  action: z.string().trim().max(60).optional(),
  from: z.iso.date('data non valida: AAAA-MM-GG').optional(),
  to: z.iso.date('data non valida: AAAA-MM-GG').optional(),
  before: z.coerce.number().int().positive().optional().describe('pagina: voci con id minore di questo'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEntryView = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  username: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  purpose: z.string().nullable(),
  outcome: z.enum(['ok', 'denied', 'failed']),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;
export const AuditList = z.object({ items: z.array(AuditEntryView) });
