import { it, type Messages } from './it';

/**
 * The active catalogue. Only Italian exists today; selecting another language will mean
 * choosing a different `Messages` object here, without touching the components.
 */
export const t: Messages = it;
export type { Messages };
