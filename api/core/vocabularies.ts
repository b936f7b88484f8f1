/**
 * The closed word lists of the domain (statuses, kinds, urgencies) as channels may name them in their own
 * schemas (MCP tool arguments, bot words). Each is defined once in db/schema, beside the column it constrains;
 * channels import them from here, never from the tables' module.
 */
export {
  channels,
  deviceAlertKinds,
  evaluationDecisions,
  issueNoteStatuses,
  lineStatuses,
  locationKinds,
  lotStatuses,
  movementKinds,
  organisationKinds,
  pickingListStatuses,
  purchaseOrderStatuses,
  recallKinds,
  recallStatuses,
  requestStatuses,
  supplyModes,
  tokenKinds,
  urgencies,
} from '../../db/schema/index.ts';
