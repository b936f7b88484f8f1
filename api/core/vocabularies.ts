/**
 * The closed word lists of the domain (statuses, kinds, urgencies) as channels may name them in their own
 * schemas (MCP tool arguments, bot words). Each is defined once in db/schema, beside the column it constrains;
 * channels import them from here, never from the tables' module.
 */
export {
  deviceAlertKinds,
  locationKinds,
  lotStatuses,
  recallKinds,
  recallStatuses,
  requestStatuses,
  urgencies,
} from '../../db/schema/index.ts';
