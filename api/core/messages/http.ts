import type { Entry } from './index.ts';

/** The title of an HTTP problem, by `problem_` and the domain error code (`httpStatusOf` in api/http/problem.ts). */
export const http = {
  problem_validation: { it: 'Richiesta non valida', en: 'Invalid request' },
  problem_unauthorized: { it: 'Autenticazione richiesta', en: 'Authentication required' },
  problem_forbidden: { it: 'Operazione non permessa', en: 'Operation not allowed' },
  problem_not_found: { it: 'Risorsa non trovata', en: 'Resource not found' },
  problem_conflict: { it: 'Conflitto con lo stato attuale', en: 'Conflict with the current state' },
  problem_precondition_failed: { it: 'Operazione impedita dallo stato attuale', en: 'Refused in the current state' },
  problem_internal: { it: 'Errore interno', en: 'Internal error' },
} as const satisfies Record<string, Entry>;
