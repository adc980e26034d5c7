/** Where the Temporal Web UI is, so views can link a delivery to its workflow. */
export interface TemporalLinks {
  namespace: string;
  /** Base URL of the Temporal Web UI, when there is one. */
  uiUrl: string | undefined;
}

export function temporalWorkflowUrl(links: TemporalLinks, workflowId: string): string | null {
  if (!links.uiUrl) return null;
  return `${links.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(links.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
